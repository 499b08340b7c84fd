package io.cnnscript.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No class keeps JVM-wide state that engines could share: every static field of cnnscript's own
 * classes is final, and one holding a map or a collection holds an unmodifiable one. So a
 * built-in, a method or a hook cannot be registered in a static table (two engines with
 * different libraries would see each other's additions); tables are built by a method the
 * {@code Library.Builder} calls, and an engine reads the library it was built with. This loads
 * every class compiled from src/main/java and reads those fields.
 */
class StaticStateTest {

    /**
     * The exceptions, each with its reason. Keep this short: a new entry needs a reason that
     * holds for every engine in one JVM.
     */
    private static final Map<String, String> ALLOWED = Map.of(
            "io.cnnscript.nn.FashionMnist.CACHE",
            "the data sets read from disk or the jar, by path: pixels and labels that are never written, shared by every engine",
            "io.cnnscript.nn.FashionMnist.FELL_BACK",
            "the lookups that already ended in the sample, so that one JVM does not retry the download for each load",
            "io.cnnscript.interp.RandomStream.loaded",
            "which engine's state libtorch's one process-wide random generator holds now",
            "io.cnnscript.lib.HostTensors.vectorWidth",
            "the vector width of the libtorch this process loaded, probed once",
            "io.cnnscript.cli.Main.stdoutIsTerminal",
            "whether this process's standard output is a terminal, asked once",
            "io.cnnscript.lib.HostCopies.LIVE",
            "the tensors handed to the host and not yet freed: the garbage collector that finds them unreached is "
                    + "the process's, as the JDK's count of direct buffers is",
            "io.cnnscript.lib.HostCopies.threshold",
            "the bytes of those copies past which a handout asks that collector to run");

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path CLASSES = Path.of("target/classes");

    @Test
    void staticFieldsAreFinalAndTheirTablesUnmodifiable() throws Exception {
        List<String> wrong = new ArrayList<>();
        List<String> classes = projectClasses();
        assertTrue(classes.size() > 100, "found only " + classes.size() + " classes under " + CLASSES);
        int tables = 0;
        for (String name : classes) {
            Class<?> c = Class.forName(name, false, getClass().getClassLoader());
            for (Field f : c.getDeclaredFields()) {
                int mod = f.getModifiers();
                if (!Modifier.isStatic(mod) || f.isSynthetic() || c.isEnum() && f.isEnumConstant()) {
                    continue;
                }
                String where = name + "." + f.getName();
                if (ALLOWED.containsKey(where)) {
                    continue;
                }
                if (!Modifier.isFinal(mod)) {
                    wrong.add(where + " is a static field that is not final");
                    continue;
                }
                if (!Map.class.isAssignableFrom(f.getType()) && !Collection.class.isAssignableFrom(f.getType())) {
                    continue;
                }
                f.setAccessible(true);
                Object value = f.get(null);
                tables++;
                if (value != null && !unmodifiable(value)) {
                    wrong.add(where + " holds a modifiable " + value.getClass().getName());
                }
            }
        }
        assertTrue(tables >= 5, "read only " + tables + " static maps and collections");
        assertEquals("", String.join("\n", wrong), "static state that engines would share");
    }

    /** The JDK's unmodifiable maps and collections: List.of, Map.copyOf, Collections.unmodifiable*... */
    private static boolean unmodifiable(Object value) {
        String type = value.getClass().getName();
        return type.startsWith("java.util.ImmutableCollections$") || type.startsWith("java.util.Collections$Unmodifiable")
                || type.startsWith("java.util.Collections$Empty") || type.startsWith("java.util.Collections$Singleton");
    }

    /** The classes compiled from src/main/java (not those generated, such as the ANTLR parser). */
    private static List<String> projectClasses() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(CLASSES.resolve("io/cnnscript"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String relative = CLASSES.relativize(p).toString().replace('\\', '/');
                String binary = relative.substring(0, relative.length() - ".class".length());
                int nested = binary.indexOf('$');
                String top = nested < 0 ? binary : binary.substring(0, nested);
                if (Files.exists(SOURCES.resolve(top + ".java"))) {
                    out.add(binary.replace('/', '.'));
                }
            }
        }
        return out;
    }
}

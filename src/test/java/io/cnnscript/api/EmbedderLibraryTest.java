package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library as an embedder meets it (issue 14): offline unless asked, host functions on the engine's thread. */
class EmbedderLibraryTest {

    /**
     * In a JVM where the host set nothing (the test JVM sets ai.djl.offline itself, so a fresh one
     * is started), building an engine switches DJL's offline mode on: no download, no cloud probe.
     */
    @Test
    void anEngineTurnsDjlOfflineUnlessTheHostAsked(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("Offline.java");
        Files.writeString(main, """
                public class Offline {
                    public static void main(String[] a) {
                        try (io.cnnscript.api.CnnEngine e = io.cnnscript.api.CnnEngine.builder().build()) {
                            System.out.println(System.getProperty("ai.djl.offline") + " " + e.eval("1 + 1"));
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                main.toString()));
        pb.environment().remove("DJL_OFFLINE");
        Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the child JVM did not finish");
        assertEquals("true 2\n", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue());
    }

    /**
     * An application without any SLF4J backend gets no SLF4J notice on stderr (DJL asks SLF4J for
     * a logger as it starts): the engine names SLF4J's own no-operation provider, the one SLF4J
     * would fall back to. An application with a backend is left alone.
     */
    @Test
    void noSlf4jNoticeWithoutABackendAndABackendIsLeftAlone(@TempDir Path dir) throws Exception {
        Path main = dir.resolve("Quiet.java");
        Files.writeString(main, """
                public class Quiet {
                    public static void main(String[] a) {
                        try (io.cnnscript.api.CnnEngine e = io.cnnscript.api.CnnEngine.builder().build()) {
                            System.out.println(System.getProperty("slf4j.provider") + " " + e.eval("(ones(2) * 3).sum().item()"));
                        }
                    }
                }
                """);
        String full = System.getProperty("java.class.path");
        String noBackend = java.util.Arrays.stream(full.split(java.io.File.pathSeparator))
                .filter(entry -> !entry.contains("slf4j-simple")).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        assertTrue(full.contains("slf4j-simple") && !noBackend.contains("slf4j-simple"), "the test classpath has a backend to take away");
        String[] without = child(main, noBackend);
        assertEquals("org.slf4j.helpers.NOP_FallbackServiceProvider 6.0\n", without[0]);
        assertFalse(without[1].contains("SLF4J"), without[1]);
        String[] with = child(main, full);
        assertEquals("null 6.0\n", with[0], "a backend on the class path: nothing is set");
    }

    /** {stdout, stderr} of a one-file Java program run with this class path. */
    private static String[] child(Path main, String classPath) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(javaBin, "-Dai.djl.offline=true", "-cp", classPath, main.toString())).start();
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the child JVM did not finish");
        assertEquals(0, p.exitValue());
        return new String[] {out, new String(err.get(), StandardCharsets.UTF_8)};
    }

    /** Host functions run on the engine's own thread: the caller's ThreadLocals are not there. */
    @Test
    void hostFunctionsRunOnTheEnginesThread() {
        ThreadLocal<String> callers = new ThreadLocal<>();
        callers.set("the caller's");
        AtomicReference<Thread> ran = new AtomicReference<>();
        AtomicReference<String> seen = new AtomicReference<>("unset");
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.define("where", "", args -> {
                ran.set(Thread.currentThread());
                seen.set(callers.get());
                return null;
            });
            engine.eval("where()");
            assertNotSame(Thread.currentThread(), ran.get());
            assertTrue(ran.get().getName().startsWith("cnnscript-"), ran.get().getName());
            assertNull(seen.get(), "a ThreadLocal of the caller is not visible");
            Thread first = ran.get();
            engine.call("where");
            assertEquals(first, ran.get(), "every script of the engine runs on the same thread");
        }
    }
}

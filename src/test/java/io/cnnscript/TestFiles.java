package io.cnnscript;

import io.cnnscript.interp.FilePolicy;
import io.cnnscript.interp.Interpreter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where scripts run by the tests may read and write: never the checkout. A relative path lands
 * in a temporary folder of this test run, deleted when the JVM ends; absolute paths may be
 * anywhere under the system's temporary folder (where JUnit's {@code @TempDir}s are); the data
 * sets under /usr/share/datasets may be read but not written.
 */
public final class TestFiles {

    private static Path scratch;

    private TestFiles() {}

    /** The file policy for every interpreter a test makes. */
    public static Interpreter.PathPolicy policy() {
        Path work = scratch();
        Interpreter.PathPolicy writable = FilePolicy.under(List.of(work, Path.of(System.getProperty("java.io.tmpdir"))));
        Interpreter.PathPolicy readable = FilePolicy.under(List.of(work, Path.of(System.getProperty("java.io.tmpdir")),
                Path.of("/usr/share/datasets")));
        return (path, write) -> write ? writable.check(path, true) : readable.check(path, false);
    }

    /** An interpreter whose files are confined as {@link #policy()} says. */
    public static Interpreter confine(Interpreter in) {
        in.setPathPolicy(policy());
        return in;
    }

    /** The temporary folder relative paths resolve against (made on first use). */
    public static synchronized Path scratch() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("cnn-test-files");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path dir = scratch;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        }
        return scratch;
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a leftover temporary file does no harm
        }
    }

    /** The process's resident memory in MB (Linux), or -1. */
    public static long rssMb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            // not Linux
        }
        return -1;
    }

}

package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./cnn launcher in a copy of the project, with stand-ins for mvn and java on the PATH:
 * its first build prints no colour codes, and java always gets UTF-8 (LANG unset too).
 */
class LauncherTest {

    @Test
    void firstBuildIsCleanAndTheLocaleIsUtf8(@TempDir Path dir) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.copy(Path.of("cnn"), project.resolve("cnn"));
        Files.createDirectories(project.resolve("src/main"));
        Files.createDirectories(project.resolve("grammar"));
        Files.writeString(project.resolve("pom.xml"), "<project/>\n");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        // Maven 3.8 with jansi: the build's only output is colour resets.
        script(bin.resolve("mvn"), "mkdir -p target/lib && touch target/cnnscript.jar && printf '\\033[0m\\033[0m\\033[0m'");
        // java says what locale and arguments it got; the warm-up run (class-data archive) says nothing.
        script(bin.resolve("java"), "case \"$*\" in *--cds-warmup*) exit 0;; esac\n"
                + "echo \"charmap=$(locale charmap) encoding=$(printf '%s\\n' \"$@\" | grep -c -- -Dfile.encoding=UTF-8) "
                + "last=${@: -1}\"");
        ProcessBuilder pb = new ProcessBuilder("bash", project.resolve("cnn").toString(), "-e", "print(\"é🎉\")");
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("LANG");
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_CTYPE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        assertEquals("cnn: building cnnscript (first use or changed sources; this takes a minute)...\n", err);
        assertFalse(err.contains("\033"));
        assertEquals("charmap=UTF-8 encoding=1 last=print(\"é🎉\")\n", out);
    }

    /** bench/run answers --help and a wrong argument with its usage before it builds or runs anything. */
    @Test
    void benchRunHasAUsageMessage() throws Exception {
        String[] help = run("bench/run", "--help");
        assertEquals("0", help[0], help[2]);
        assertTrue(help[1].startsWith("usage: bench/run [ROUNDS]"), help[1]);
        assertTrue(help[1].contains("bench/run --micro [REPS]"), help[1]);
        assertEquals("", help[2]);
        for (String[] wrong : new String[][] {{"abc"}, {"--rounds"}, {"3", "4"}, {"--micro", "x"}}) {
            String[] r = run("bench/run", wrong);
            assertEquals("2", r[0], String.join(" ", wrong));
            assertEquals("", r[1]);
            assertTrue(r[2].startsWith("bench/run: ") && r[2].contains("\nusage: bench/run [ROUNDS]"), r[2]);
            assertFalse(r[2].contains("Exception") || r[2].contains("\tat "), r[2]);
        }
    }

    /** {exit status, stdout, stderr} of a script of the checkout run with bash. */
    private static String[] run(String script, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", script));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String[] {String.valueOf(p.exitValue()), out, err};
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

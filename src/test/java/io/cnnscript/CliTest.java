package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cnn command end to end, in a JVM of its own: output, error form and exit status. */
class CliTest {

    record Run(int status, String out, String err) {}

    static Run cnn(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "io.cnnscript.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        File err = File.createTempFile("cnn", ".err");
        pb.directory(TestFiles.scratch().toFile()); // what a script writes stays out of the checkout
        pb.redirectError(err);
        Process p = pb.start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        String errText = Files.readString(err.toPath()).lines()
                .filter(l -> !l.contains("Could not initialize NNPACK")).reduce("", (a, b) -> a + b + "\n");
        err.delete();
        return new Run(status, out, errText);
    }

    @Test
    void runsAScriptFile(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("ok.cnn");
        Files.writeString(script, "X = tensor[[0, 1, 2], [3, 4, 5], [6, 7, 8]]\nprint(corr2d(X, tensor[[0, 1], [2, 3]]))\n");
        Run r = cnn("", script.toString());
        assertEquals(new Run(0, "tensor([[19., 25.],\n        [37., 43.]])\n", ""), r);
    }

    @Test
    void scriptErrorShowsPlaceLineAndCaret(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("bad.cnn");
        Files.writeString(script, "print(1)\nprint(corrd2(1, 2))\n");
        Run r = cnn("", script.toString());
        assertEquals(new Run(1, "1\n", script + ":2:7: 'corrd2' is not defined; did you mean 'corr2d'?\n"
                + "    print(corrd2(1, 2))\n          ^\n"), r);
    }

    @Test
    void evaluatesCode() throws Exception {
        assertEquals(new Run(0, "2\n", ""), cnn("", "-e", "print(1 + 1)"));
    }

    @Test
    void missingFileIsAnErrorNotATrace() throws Exception {
        assertEquals(new Run(1, "", "cnn: nope.cnn: no such file\n"), cnn("", "nope.cnn"));
    }

    @Test
    void badOptionIsAUsageError() throws Exception {
        Run r = cnn("", "--frobnicate");
        assertEquals(2, r.status());
        assertEquals("cnn: unknown option --frobnicate", r.err().lines().findFirst().orElse(""));
    }

    @Test
    void pipedInputRunsLineByLine() throws Exception {
        Run r = cnn("x = 2\nprint(x * 3)\nfn f(a) {\n  return a + 1\n}\nf(x)\nprint(y)\nprint(\"still here\")\n");
        assertEquals("6\n3\nstill here\n", r.out());
        assertEquals("<stdin>:7:7: 'y' is not defined\n    print(y)\n          ^\n", r.err());
        assertEquals(1, r.status());
    }
}

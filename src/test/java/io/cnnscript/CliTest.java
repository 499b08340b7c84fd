package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        return cnnIn(TestFiles.scratch(), stdin, args);
    }

    /** Runs cnn with {@code cwd} as its working folder. */
    static Run cnnIn(Path cwd, String stdin, String... args) throws IOException, InterruptedException {
        return cnnWith(cwd, java.util.Map.of(), stdin, args);
    }

    /** Runs cnn in cwd with these environment variables changed (a null value removes one). */
    static Run cnnWith(Path cwd, java.util.Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "io.cnnscript.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        File err = File.createTempFile("cnn", ".err");
        pb.directory(cwd.toFile()); // what a script writes stays out of the checkout
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

    /** Output into a pipe gets the epoch lines only: no progress bar redrawn with '\r'. */
    @Test
    void trainingIntoAPipeDrawsNoProgressBar() throws Exception {
        Run r = cnn("", "-e", "data = [(randn(8, 4), tensor[0, 1, 0, 1, 0, 1, 0, 1]) for i in range(3)]\n"
                + "train(Flatten >> Linear(4, 2), data, epochs=2)");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("training on cpu\n(epoch [12], loss \\d\\.\\d{4}, train acc \\d\\.\\d{3}, "
                + "time \\d+\\.\\d sec\n){2}"), r.out());
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
    void exitEndsTheScriptWithItsStatus() throws Exception {
        assertEquals(new Run(3, "1\n", ""), cnn("", "-e", "print(1)\nexit(3)\nprint(2)"));
        assertEquals(new Run(0, "1\n", ""), cnn("print(1)\nquit()\nprint(2)\n"));
    }

    @Test
    void badOptionIsAUsageError() throws Exception {
        Run r = cnn("", "--frobnicate");
        assertEquals(2, r.status());
        assertEquals("cnn: unknown option --frobnicate", r.err().lines().findFirst().orElse(""));
    }

    /** Lines that go on from the line before, as in a file: '>>', '.', and '}' then 'else {'. */
    private static final String CONTINUED = String.join("\n",
            "net = Linear(4, 3)",
            "    >> ReLU",
            "    >> Linear(3, 2)",
            "print(len(net.parameters()))",
            "y = ones(2, 3)",
            "    .sum()",
            "print(y)",
            "if y.item() > 5 {",
            "    print(\"big\")",
            "}",
            "else {",
            "    print(\"small\")",
            "}",
            "f(2)",
            "print(\"not reached\")", "");

    @Test
    void pipedInputRunsAsAScript() throws Exception {
        Run r = cnn(CONTINUED);
        assertEquals("4\ntensor(6.)\nbig\n", r.out());
        assertEquals("<stdin>:14:1: 'f' is not defined\n    f(2)\n    ^\n", r.err());
        assertEquals(1, r.status());
        assertEquals(r, cnn(CONTINUED, "-"));
        assertEquals(new Run(0, "", ""), cnn(""));
    }

    @Test
    void aParseErrorInPipedInputRunsNothing() throws Exception {
        Run r = cnn("print(\"first\")\nx = (1 +\nprint(x)\n");
        assertEquals("", r.out());
        assertEquals(1, r.status());
        assertEquals("<stdin>:2:5: '(' is never closed\n    x = (1 +\n        ^\n", r.err());
    }

    @Test
    void scriptsUseFilesAsPythonDoesRelativeToTheWorkingFolder(@TempDir Path dir) throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Path script = other.resolve("s.cnn");
        Files.writeString(script, String.join("\n",
                "net = Linear(2, 1)",
                "save(net, \"here.params\")",
                "save(net, \"../other/beside.params\")",
                "save(net, \"" + dir.resolve("abs.params") + "\")",
                "load(net, \"here.params\")",
                "print(\"saved\")", ""));
        assertEquals(new Run(0, "saved\n", ""), cnnIn(work, "", script.toString()));
        assertTrue(Files.exists(work.resolve("here.params")));
        assertTrue(Files.exists(other.resolve("beside.params")));
        assertTrue(Files.exists(dir.resolve("abs.params")));
    }

    @Test
    void sandboxConfinesFilesToItsFolders(@TempDir Path dir) throws Exception {
        Path box = Files.createDirectories(dir.resolve("box"));
        Path box2 = Files.createDirectories(dir.resolve("box2"));
        String code = "net = Linear(2, 1)\nsave(net, \"in.params\")\nsave(net, \"" + box2.resolve("two.params")
                + "\")\nprint(\"ok\")\nsave(net, \"../out.params\")\n";
        Run r = cnnIn(box, "", "--sandbox", ".", "--sandbox", box2.toString(), "-e", code);
        assertEquals("ok\n", r.out());
        assertEquals(1, r.status());
        String first = r.err().lines().findFirst().orElse("");
        assertEquals("<eval>:5:1: the path ../out.params is outside the --sandbox folders (" + box + ", " + box2 + ")",
                first);
        assertTrue(Files.exists(box.resolve("in.params")));
        assertTrue(Files.exists(box2.resolve("two.params")));
        assertFalse(Files.exists(dir.resolve("out.params")));

        Run missing = cnnIn(dir, "", "--sandbox", "nowhere", "-e", "print(1)");
        assertEquals(2, missing.status());
        assertEquals("cnn: --sandbox nowhere: no such folder", missing.err().lines().findFirst().orElse(""));
    }

    @Test
    void tildeIsTheHomeFolderAsInTheShell(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        Run r = cnnWith(work, java.util.Map.of("HOME", home.toString()), "",
                "-e", "net = Linear(2, 1)\nsave(net, \"~/net.params\")\nload(net, \"~/net.params\")\nprint(\"ok\")\n"
                        + "save(net, \"~bob/x.params\")");
        assertEquals("ok\n", r.out());
        assertTrue(Files.exists(home.resolve("net.params")));
        assertFalse(Files.exists(work.resolve("~")));
        assertEquals("<eval>:5:1: the path ~bob/x.params starts with ~name, which cnnscript does not expand; "
                + "write the folder out", r.err().lines().findFirst().orElse(""));
    }
}

package io.cnnscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole REPL in a real pseudo-terminal: tmux runs {@code cnn}, the test types with
 * send-keys and reads the screen with capture-pane. Skipped when tmux is not installed
 * (.ci/run installs it).
 */
class ReplTerminalTest {

    private static final long TIMEOUT_MS = 90_000;

    private String socket;
    private Path home;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(hasTmux(), "tmux is not installed: skipping the end-to-end REPL test "
                + "(apt-get install -y tmux; .ci/run does it)");
        socket = "cnn-test-" + ProcessHandle.current().pid();
        home = dir;
        launch("TERM=xterm-256color");
    }

    /** Starts cnn in the tmux session "cnn" with these environment settings, and waits for its prompt. */
    /** The standard error of the session launched last (each launch its own file). */
    private Path stderrFile;
    private int launches;

    private void launch(String environment) throws Exception {
        // Its own file: a session killed before (the JLine one of the plain test) may still
        // write to the one it was given while it goes.
        stderrFile = home.resolve("stderr-" + (++launches) + ".txt");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", "env", "HOME=" + quote(home.toString()), environment,
                quote(java), "-Dai.djl.offline=true", "-cp", quote(classpath), "io.cnnscript.cli.Main",
                "2>" + quote(stderrFile.toString()));
        tmux("new-session", "-d", "-s", "cnn", "-c", home.toString(), "-x", "110", "-y", "45", command);
        waitFor("the prompt", screen -> screen.contains(">>>"));
    }

    /**
     * The plain REPL (CNN_REPL=plain: lines read by the terminal itself) takes Ctrl-C and Ctrl-D
     * as the JLine one and Python do: Ctrl-C drops the input being typed ("KeyboardInterrupt")
     * or stops the running statement, and the session goes on; Ctrl-D on a continuation line
     * shows the unfinished statement's error and runs none of it; Ctrl-D at an empty prompt leaves.
     */
    @Test
    void thePlainReplTakesCtrlCAndCtrlDAsPythonDoes() throws Exception {
        tmux("kill-session", "-t", "cnn");
        launch("TERM=xterm-256color CNN_REPL=plain");
        type("fn g(a) {");
        waitFor("the continuation prompt", s -> lastLine(s).equals("..."));
        keys("C-c");
        waitFor("KeyboardInterrupt and a fresh prompt", s -> s.contains("KeyboardInterrupt\n>>>") && lastLine(s).equals(">>>"));
        type("g(1)");
        waitFor("g was dropped", s -> s.contains("'g' is not defined"));
        type("i = 0");
        type("while true { i += 1 }");
        Thread.sleep(1500);
        keys("C-c");
        waitFor("the interruption", s -> s.contains("interrupted"));
        type("i > 100");
        waitFor("i after the stop", s -> lines(s).contains("true"));
        type("fn h() {");
        waitFor("the continuation prompt of h", s -> lastLine(s).equals("..."));
        type("print('never run')");
        keys("C-d");
        waitFor("the error of the unfinished h", s -> s.contains("<stdin>:1:8: '{' is never closed"));
        type("print('still here')");
        waitFor("the session after Ctrl-D", s -> lines(s).contains("still here"));
        assertFalse(lines(screen()).contains("never run"), screen());
        keys("C-d");
        waitForTheEnd();
        String stderr = Files.readString(stderrFile, StandardCharsets.UTF_8);
        assertFalse(stderr.contains("Exception"), stderr);
    }

    @AfterEach
    void stop() throws Exception {
        if (socket != null) {
            run(List.of("tmux", "-L", socket, "kill-server"));
        }
    }

    @Test
    void aSessionEndToEnd() throws Exception {
        type("x = 2");
        type("x * 3");
        waitFor("x * 3 echoed", s -> lines(s).contains("6"));

        // Multi-line input with the continuation prompt.
        type("fn f(a) {");
        waitFor("the continuation prompt", s -> s.contains("... "));
        type("return a + 1");
        type("}");
        type("f(41)");
        waitFor("f(41)", s -> lines(s).contains("42"));

        // An error prints with its place, and the session goes on.
        type("nope + 1");
        waitFor("the error", s -> s.contains("<stdin>:1:1: 'nope' is not defined"));

        // Ctrl-C stops a long loop; the variables keep their values.
        type("i = 0");
        type("while true { i += 1 }");
        Thread.sleep(1500);
        keys("C-c");
        waitFor("the interruption", s -> s.contains("interrupted"));
        type("i > 100");
        waitFor("i after the stop", s -> lines(s).contains("true"));
        type("x");
        waitFor("x after the stop", s -> count(lines(s), "2") >= 1);

        // Ctrl-C at the prompt drops the line.
        keys("-l", "garbage_never_run");
        waitFor("the typed line", s -> s.contains("garbage_never_run"));
        keys("C-c");
        // Ctrl-C arrives as a signal: wait for the fresh prompt before typing on.
        waitFor("a fresh prompt", s -> lastLine(s).equals(">>>"));
        assertTrue(screen().contains("garbage_never_run\nKeyboardInterrupt\n>>>"), screen());
        type("print('after ctrl-c')");
        waitFor("the line after Ctrl-C", s -> lines(s).contains("after ctrl-c"));
        assertFalse(screen().contains("'garbage_never_run' is not defined"));

        // Tab completes a built-in.
        keys("-l", "y = corr");
        keys("Tab");
        waitFor("completion of corr", s -> s.contains("y = corr2d"));
        keys("C-u");

        type(":help corr2d");
        waitFor(":help corr2d", s -> s.contains("corr2d(X, K)   [tensors]"));

        // Ctrl-D leaves, and the history is kept.
        keys("C-d");
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (run(List.of("tmux", "-L", socket, "has-session", "-t", "cnn")) == 0) {
            if (System.currentTimeMillis() > deadline) {
                fail("Ctrl-D did not end the REPL:\n" + screen());
            }
            Thread.sleep(100);
        }
        String history = Files.readString(home.resolve(".cnn_history"), StandardCharsets.UTF_8);
        assertTrue(history.contains("while true { i += 1 }"), history);
        assertTrue(history.contains(":help corr2d"), history);
        String stderr = Files.readString(stderrFile, StandardCharsets.UTF_8);
        assertFalse(stderr.contains("Exception"), stderr);
    }

    @Test
    void pythonHabitsGetHintsAndQuitLeaves() throws Exception {
        type("x = True");
        waitFor("the hint for True", s -> s.contains("'True' is not defined; cnnscript writes true"));
        type("fn area(width, height=1) {");
        type("return width * height + nope");
        type("}");
        type(":help area");
        waitFor(":help of a user function", s -> s.contains("fn area(width, height=1)   [your function, <stdin>:1:1]"));
        type("fn twice(w) { return area(w) * 2 }");
        type("twice(3)");
        waitFor("the traceback", s -> s.contains("Traceback (most recent call last):\n  <stdin>:1, at the top level\n"
                + "  <stdin>:1, in twice\n  <stdin>:2, in area\n<stdin>:2:25: 'nope' is not defined"));
        type("help(corr2d)");
        waitFor("help(corr2d)", s -> s.contains("corr2d(X, K)   [tensors]"));
        // ~ in :load is $HOME, as in the shell (the JVM's user.home is the account's folder).
        Files.writeString(home.resolve("answer.cnn"), "answer = 41 + 1\n");
        keys("-l", ":load ~/answer.c");
        keys("Tab");
        waitFor("completion of ~/answer.cnn", s -> s.contains(":load ~/answer.cnn"));
        keys("Enter");
        type("answer");
        waitFor("the loaded variable", s -> lines(s).contains("42"));
        type("quit");
        waitForTheEnd();
    }

    @Test
    void ctrlDOnAContinuationLineEndsItWithItsErrorAndOnAnEmptyPromptLeaves() throws Exception {
        type("fn g(a) {");
        waitFor("the continuation prompt", s -> lastLine(s).equals("..."));
        keys("C-d");
        waitFor("a fresh prompt after Ctrl-D", s -> lastLine(s).equals(">>>"));
        assertTrue(screen().contains("<stdin>:1:9: '{' is never closed"), screen());
        type("x = [1,");
        waitFor("the continuation prompt of the bracket", s -> lastLine(s).equals("..."));
        keys("-l", "2"); // the cursor at the end of a continuation line with text on it
        keys("C-d");
        waitFor("a fresh prompt after the second Ctrl-D", s -> lastLine(s).equals(">>>"));
        type("print(g)");
        waitFor("g was never defined", s -> s.contains("'g' is not defined"));
        type("print(x)");
        waitFor("x was never assigned", s -> s.contains("'x' is not defined"));
        // Ctrl-D inside a one-line input still deletes the character under the cursor.
        keys("-l", "print('alive!')");
        keys("Left", "Left", "Left");
        keys("C-d");
        keys("Enter");
        waitFor("the line with its '!' deleted", s -> lines(s).contains("alive"));
        keys("C-d");
        waitForTheEnd();
    }

    /**
     * train() at 50 columns: every redraw of the progress line fits in 49 (read from the raw
     * output tmux records), and nothing of it stays on the screen.
     */
    @Test
    void theProgressBarFitsA50ColumnTerminal() throws Exception {
        tmux("resize-window", "-t", "cnn", "-x", "50", "-y", "45");
        Path raw = home.resolve("pane.log");
        tmux("pipe-pane", "-t", "cnn", "-o", "cat >> " + quote(raw.toString()));
        type("data = [(randn(8, 4), tensor[0, 1, 0, 1, 0, 1, 0, 1]) for i in range(100)]");
        type("net = Flatten >> Linear(4, 2)");
        type("train(net, data, epochs=2)");
        waitFor("the end of training", s -> s.contains("epoch 2, loss") && lastLine(s).equals(">>>"));
        List<String> bars = new ArrayList<>();
        for (String segment : Files.readString(raw, StandardCharsets.UTF_8).split("\r")) {
            if (segment.matches("(?s)epoch [12]/2 \\[.*")) {
                bars.add(segment);
            }
        }
        // The last batch of each epoch always draws.
        assertTrue(bars.size() >= 2, "no progress bar was drawn: " + bars);
        for (String bar : bars) {
            assertTrue(bar.length() <= 49, "the progress line is wider than 49 columns: " + bar);
            assertTrue(bar.matches("epoch [12]/2 \\[[=> ]{10,30}\\] \\d+/100  loss \\d+\\.\\d{4}(  \\d+\\.\\d s)? *"), bar);
        }
        List<String> all = lines(screen());
        int from = all.lastIndexOf(">>> train(net, data, epochs=2)");
        List<String> after = all.subList(from + 1, all.size()).stream().filter(l -> !l.isEmpty()).toList();
        assertEquals(4, after.size(), "left-over lines:\n" + String.join("\n", after));
        assertEquals("training on cpu", after.get(0));
        assertTrue(after.get(1).matches("epoch 1, loss \\d\\.\\d{4}, train acc \\d\\.\\d{3}, time \\d+\\.\\d sec"), after.get(1));
        assertTrue(after.get(2).matches("epoch 2, loss \\d\\.\\d{4}, train acc \\d\\.\\d{3}, time \\d+\\.\\d sec"), after.get(2));
        assertEquals(">>>", after.get(3));
        // Leave before the temporary home is deleted: a REPL killed with tmux writes its history there.
        type("quit");
        waitForTheEnd();
    }

    private void waitForTheEnd() throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (run(List.of("tmux", "-L", socket, "has-session", "-t", "cnn")) == 0) {
            if (System.currentTimeMillis() > deadline) {
                fail("the REPL did not end:\n" + screen());
            }
            Thread.sleep(100);
        }
    }

    // ------------------------------------------------------------------ tmux

    private void type(String text) throws Exception {
        keys("-l", text);
        keys("Enter");
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "cnn"));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
        Thread.sleep(60);
    }

    private String screen() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-J", "-S", "-500", "-t", "cnn")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private void waitFor(String what, Predicate<String> ok) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        String s = "";
        while (System.currentTimeMillis() < deadline) {
            s = screen();
            if (ok.test(s)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("timed out waiting for " + what + "; the screen:\n" + s);
    }

    private static List<String> lines(String screen) {
        List<String> out = new ArrayList<>();
        for (String l : screen.split("\n")) {
            out.add(l.strip());
        }
        return out;
    }

    private static String lastLine(String screen) {
        List<String> all = lines(screen);
        for (int i = all.size() - 1; i >= 0; i--) {
            if (!all.get(i).isEmpty()) {
                return all.get(i);
            }
        }
        return "";
    }

    private static long count(List<String> lines, String line) {
        return lines.stream().filter(line::equals).count();
    }

    private void tmux(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        int status = run(cmd);
        assertEquals(0, status, "tmux " + String.join(" ", args));
    }

    private static int run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static boolean hasTmux() {
        try {
            return run(List.of("tmux", "-V")) == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}

package io.cnnscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.interp.FilePolicy;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;

/** The REPL's one loop over its two line sources: the same inputs give the same session. */
class LineSourcesTest {

    private static String jline(String input) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Terminal t = new DumbTerminal("test", "dumb",
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), bytes, StandardCharsets.UTF_8);
                Repl repl = new Repl(t, null, false)) {
            assertEquals(0, repl.run());
        }
        return bytes.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    private static String plain(String input) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        try (Repl repl = new Repl(new PlainSource(new BufferedReader(new StringReader(input)), out), out, out, false,
                FilePolicy.commandLine(List.of()))) {
            assertEquals(0, repl.run());
        }
        return text.toString();
    }

    /** The session's text without the banner (it names Tab completion on JLine) and continuation prompts. */
    private static String session(String output) {
        return output.substring(output.indexOf('\n') + 1).replace(Repl.CONTINUATION, "");
    }

    private static final String INPUT = String.join("\n",
            "x = 1;",
            "x + 1",
            "x + 5; # hidden: the code ends with ';' once the comment is set aside",
            ":help vars",
            "nope + 1",
            "print('after the error')",
            "fn f(a) {",
            "  return a * 10",
            "}",
            "f(4)",
            ":bogus",
            "quit",
            "print('not reached')",
            "");

    private static final String EXPECTED = String.join("\n",
            ">>> >>> 2",
            ">>> >>> :vars  list the variables with their type, and a tensor's shape and dtype",
            ">>> <stdin>:1:1: 'nope' is not defined",
            "    nope + 1",
            "    ^",
            ">>> after the error",
            ">>> >>> 40",
            ">>> unknown command ':bogus' (:help lists the commands)",
            ">>> ");

    @Test
    void bothSourcesRunTheSameSession() throws Exception {
        String jline = jline(INPUT);
        String plain = plain(INPUT);
        assertEquals(EXPECTED, session(jline), jline);
        assertEquals(EXPECTED, session(plain), plain);
        assertTrue(jline.startsWith("cnnscript REPL. :help lists commands and built-ins; Tab completes; Ctrl-D leaves.\n"));
        assertTrue(plain.startsWith("cnnscript REPL. :help lists commands and built-ins; Ctrl-D leaves.\n"));
        // The plain source shows the continuation prompt while the block is open.
        assertTrue(plain.contains(">>> ... ... >>> 40\n"), plain);
    }

    @Test
    void withoutPromptsThePlainSourceGivesOnlyTheSessionsOutput() {
        StringWriter text = new StringWriter();
        StringWriter errors = new StringWriter();
        try (Repl repl = new Repl(new PlainSource(new BufferedReader(new StringReader(INPUT)), null),
                new PrintWriter(text), new PrintWriter(errors), false, FilePolicy.commandLine(List.of()))) {
            assertEquals(0, repl.run());
        }
        assertEquals("2\n:vars  list the variables with their type, and a tensor's shape and dtype\nafter the error\n40\n"
                + "unknown command ':bogus' (:help lists the commands)\n", text.toString());
        assertEquals("<stdin>:1:1: 'nope' is not defined\n    nope + 1\n    ^\n", errors.toString());
    }

    @Test
    void anOpenBlockAtTheEndOfThePlainInputShowsItsError() {
        String out = plain("print('start')\nfn g(a) {\n  return a\n");
        assertEquals(">>> start\n>>> <stdin>:1:9: '{' is never closed\n    fn g(a) {\n            ^\n>>> ", session(out));
    }

    /**
     * The end of the input inside an unfinished statement (Ctrl-D on a continuation line, the end
     * of a file) shows that statement's error and runs none of it, as Python's REPL does; the
     * session reads on, and the next end leaves. JLine (keys through a dumb terminal) and the
     * plain source agree. (JLine's Ctrl-C is a signal of a real terminal: ReplTerminalTest.)
     */
    @Test
    void ctrlDInsideAStatementShowsItsErrorAndCtrlCDropsTheInputOnBothSources() throws Exception {
        String ended = "print('start')\nx = [print('never run'),\n";
        String expected = ">>> start\n>>> <stdin>:1:5: '[' is never closed\n    x = [print('never run'),\n        ^\n>>> ";
        assertEquals(expected, session(plain(ended)));
        String jline = jline(ended + "\u0004" + "print('after')\n");
        assertTrue(session(jline).startsWith(expected.substring(0, expected.length() - 4)), jline);
        assertTrue(jline.endsWith(">>> after\n>>> "), jline);
        assertFalse(jline.contains("never run\n"), jline);
    }

    /**
     * The plain source's Ctrl-C (the REPL on a terminal JLine cannot drive catches SIGINT and
     * calls {@link PlainSource#interrupt()}): while an input is typed it is dropped with
     * "KeyboardInterrupt" and a fresh prompt; while a statement runs it is stopped and the
     * session goes on with its variables. Neither ends the session.
     */
    @Test
    void ctrlCOnThePlainSourceDropsTheInputOrStopsTheStatement() throws Exception {
        java.io.PipedWriter keys = new java.io.PipedWriter();
        BufferedReader lines = new BufferedReader(new java.io.PipedReader(keys));
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text, true);
        PlainSource source = new PlainSource(lines, out);
        java.util.concurrent.atomic.AtomicInteger status = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread session = new Thread(() -> {
            try (Repl repl = new Repl(source, out, out, false, FilePolicy.commandLine(List.of()))) {
                status.set(repl.run());
            }
        });
        session.start();
        try {
            keys.write("fn g(a) {\n  return a\n");
            keys.flush();
            waitFor(text, "... ... ");
            source.interrupt();
            waitFor(text, "... ... \nKeyboardInterrupt\n>>> ");
            keys.write("g(1)\ni = 0\nwhile true { i += 1 }\n");
            keys.flush();
            waitFor(text, "'g' is not defined");
            Thread.sleep(500);
            long deadline = System.currentTimeMillis() + 60_000;
            while (!text.toString().contains("interrupted") && System.currentTimeMillis() < deadline) {
                source.interrupt(); // until the loop runs (the engine may still be loading)
                Thread.sleep(200);
            }
            keys.write("i > 0\n");
            keys.close();
            session.join(60_000);
        } finally {
            keys.close();
        }
        assertEquals(0, status.get(), text.toString());
        String all = session(text.toString());
        // The loop is stopped where the interrupt is noticed: at the while (column 1) or at the
        // statement of its body (column 14); both are places of the running statement.
        assertTrue(all.matches("(?s).*>>> <stdin>:1:(1: interrupted\n    while true \\{ i \\+= 1 \\}\n    \\^"
                + "|14: interrupted\n    while true \\{ i \\+= 1 \\}\n                 \\^)\n>>> true\n.*"), all);
        assertTrue(all.endsWith(">>> true\n>>> "), all);
    }

    private static void waitFor(StringWriter text, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!text.toString().contains(what)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no '" + what + "' in:\n" + text);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void exitEndsTheSessionWithItsStatus() {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        try (Repl repl = new Repl(new PlainSource(new BufferedReader(new StringReader("print(1)\nexit(3)\nprint(2)\n")),
                null), out, out, false, FilePolicy.commandLine(List.of()))) {
            assertEquals(3, repl.run());
        }
        assertEquals("1\n", text.toString());
    }
}

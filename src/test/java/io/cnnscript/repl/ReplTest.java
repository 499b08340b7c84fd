package io.cnnscript.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.interp.Interpreter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jline.reader.Candidate;
import org.jline.reader.EOFError;
import org.jline.reader.Parser.ParseContext;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REPL's parts through JLine with a test terminal: completion, highlighting, multi-line, :commands. */
class ReplTest {

    private static Interpreter session;

    @BeforeAll
    static void start() {
        session = new Interpreter(ai.djl.ndarray.NDManager.newBaseManager(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
        io.cnnscript.TestFiles.confine(session);
        session.eval("X = zeros(2, 3)\nwords = ['a']\nfn area(width, height=1) { return width * height }\n"
                + "total = 3", "<test>", false);
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    private static Set<String> complete(String lineUpToCursor) {
        CodeCompleter c = new CodeCompleter(() -> session);
        LineParser.Word w = LineParser.wordAt(lineUpToCursor, lineUpToCursor.length());
        return c.candidates(w).stream().map(Candidate::value).filter(v -> v.startsWith(w.word()))
                .collect(Collectors.toSet());
    }

    // ------------------------------------------------------------------ completion

    @Test
    void completesKeywordsBuiltinsAndVariables() {
        assertEquals(Set.of("corr2d"), complete("Y = cor"));
        assertTrue(complete("wh").contains("while"));
        assertEquals(Set.of("total", "tensor"), complete("to").isEmpty() ? Set.of() : complete("t").stream()
                .filter(s -> s.equals("total") || s.equals("tensor")).collect(Collectors.toSet()));
        assertTrue(complete("ar").containsAll(Set.of("area", "arange")));
    }

    @Test
    void completesMembersAfterADot() {
        Set<String> members = complete("X.");
        assertTrue(members.containsAll(Set.of("shape", "sum", "reshape", "T")), members.toString());
        assertEquals(Set.of("sum"), complete("y = X.su"));
        assertTrue(complete("words.").contains("append"));
        assertFalse(complete("X.").contains("while"));
        assertTrue(complete("nothing.").isEmpty());
    }

    /**
     * Each name is offered once, whatever it is: a method every layer has and a network's own, a
     * parameter, a child, a variable that shadows a built-in, the keyword tensor and the built-in
     * tensor(), a keyword argument.
     */
    @Test
    void completionOffersEachNameOnce() {
        try (Interpreter in = new Interpreter(ai.djl.ndarray.NDManager.newBaseManager(),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))) {
            in.eval("lin = Linear(2, 3)\nnet = Sequential(lin, ReLU)\nlayer L() {\n  w = param(ones(1))\n"
                    + "  fn parameters() { return [w] }\n  forward(x) { return x }\n}\nmine = L()\n"
                    + "opt = SGD(lin.parameters(), lr=0.1)\nX = ones(2)\nsum = 3\nlayer = 1\ntrain_iter = 0", "<test>", false);
            CodeCompleter c = new CodeCompleter(() -> in);
            for (String line : List.of("", "t", "su", "lay", "lin.", "net.", "mine.", "opt.", "X.", "'s'.", "[1].",
                    "X.sum(", "lin.train(", "net.", ":help ", ":")) {
                LineParser.Word w = LineParser.wordAt(line, line.length());
                List<String> values = c.candidates(w).stream().map(Candidate::value).toList();
                Set<String> once = new java.util.HashSet<>();
                List<String> twice = values.stream().filter(v -> !once.add(v)).toList();
                assertEquals(List.of(), twice, "offered twice after '" + line + "'");
            }
        }
    }

    @Test
    void completesKeywordArgumentsOfTheOpenCall() {
        assertTrue(complete("zeros(2, ").contains("dtype="));
        assertTrue(complete("zeros(2, dt").contains("dtype="));
        assertTrue(complete("area(").containsAll(Set.of("width=", "height=")));
        assertTrue(complete("print(area(1, ").contains("height="));
        assertTrue(complete("X.sum(").contains("dim="), complete("X.sum(").toString());
        assertFalse(complete("zeros(2").contains("dtype="));
        assertFalse(complete("print(zeros(2), ").contains("dtype="));
    }

    @Test
    void completesCommandsHelpTopicsAndFiles(@TempDir Path dir) throws Exception {
        assertEquals(Set.of(":help"), complete(":he"));
        assertTrue(complete(":").containsAll(Set.of(":vars", ":load", ":time", ":reset", ":mem", ":quit")));
        assertTrue(complete(":help cor").contains("corr2d"));
        Files.writeString(dir.resolve("model.cnn"), "x = 1\n");
        Files.writeString(dir.resolve("notes.txt"), "");
        Files.createDirectory(dir.resolve("sub"));
        assertEquals(Set.of(dir + "/model.cnn", dir + "/sub/"), complete(":load " + dir + "/"));
    }

    @Test
    void completionWithoutTheEngineOffersBuiltins() {
        CodeCompleter c = new CodeCompleter(() -> null);
        Set<String> names = c.candidates(LineParser.wordAt("cor", 3)).stream().map(Candidate::value)
                .collect(Collectors.toSet());
        assertTrue(names.contains("corr2d"));
        assertFalse(names.contains("total"));
    }

    // ------------------------------------------------------------------ highlighting

    private static AttributedStyle styleOf(AttributedString s, String text, String part) {
        return s.styleAt(text.indexOf(part));
    }

    @Test
    void highlightsFromTheGrammarsLexer() {
        String line = "for i in range(3) { print(\"hi\", 2.5) }  # loop";
        AttributedString s = new CodeHighlighter().highlight(line);
        assertEquals(line, s.toString());
        assertEquals(CodeHighlighter.KEYWORD, styleOf(s, line, "for"));
        assertEquals(CodeHighlighter.KEYWORD, styleOf(s, line, "in "));
        assertEquals(CodeHighlighter.BUILTIN, styleOf(s, line, "range"));
        assertEquals(CodeHighlighter.NUMBER, styleOf(s, line, "3"));
        assertEquals(CodeHighlighter.NUMBER, styleOf(s, line, "2.5"));
        assertEquals(CodeHighlighter.STRING, styleOf(s, line, "\"hi\""));
        assertEquals(CodeHighlighter.COMMENT, styleOf(s, line, "# loop"));
        assertEquals(CodeHighlighter.COMMENT, styleOf(s, line, "loop"));
        assertEquals(AttributedStyle.DEFAULT, styleOf(s, line, "i "));
    }

    @Test
    void highlightsErrorsAndCommands() {
        String bad = "x = 1 $ 2";
        AttributedString s = new CodeHighlighter().highlight(bad);
        assertEquals(CodeHighlighter.ERROR, styleOf(s, bad, "$"));
        String open = "s = \"unterminated + 1";
        s = new CodeHighlighter().highlight(open);
        assertEquals(CodeHighlighter.ERROR, styleOf(s, open, "\""));
        assertEquals(CodeHighlighter.ERROR, styleOf(s, open, "1"));
        String cmd = ":time zeros(2)";
        s = new CodeHighlighter().highlight(cmd);
        assertEquals(CodeHighlighter.COMMAND, styleOf(s, cmd, ":time"));
        assertEquals(CodeHighlighter.BUILTIN, styleOf(s, cmd, "zeros"));
        assertEquals("# a # b", new CodeHighlighter().highlight("# a # b").toString());
    }

    // ------------------------------------------------------------------ multi-line

    @Test
    void incompleteInputThrowsEofErrorSoJLineKeepsReading() {
        LineParser p = new LineParser();
        for (String open : List.of("fn f(x) {", "y = [1,", "z = (2 +", "X >>", ":time for i in range(3) {")) {
            assertThrows(EOFError.class, () -> p.parse(open, open.length(), ParseContext.ACCEPT_LINE), open);
        }
        for (String done : List.of("x = 1", "fn f(x) {\n  return x\n}", "print('a')", ":help", ":load my file.cnn")) {
            p.parse(done, done.length(), ParseContext.ACCEPT_LINE);
        }
        // Strings do not span lines in the grammar: an open quote is reported at once, not continued.
        p.parse("s = 'abc", 8, ParseContext.ACCEPT_LINE);
        // Completion never asks for more input.
        p.parse("fn f(x) {", 9, ParseContext.COMPLETE);
    }

    // ------------------------------------------------------------------ the loop and :commands

    private static String runRepl(String input) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Terminal t = new DumbTerminal("test", "dumb",
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), bytes, StandardCharsets.UTF_8);
                Repl repl = new Repl(t, null, false)) {
            assertEquals(0, repl.run());
        }
        return bytes.toString(StandardCharsets.UTF_8).replace("\r", "");
    }

    @Test
    void echoesValuesAndKeepsTheLastInUnderscore() throws Exception {
        String out = runRepl("x = 2\nx * 3\n_ + 1\nx;\nfn f(a) {\n  return a * 10\n}\nf(4)\n");
        assertTrue(out.contains("6\n"), out);
        assertTrue(out.contains("7\n"), out);
        assertFalse(out.contains("\n2\n"), out);
        assertTrue(out.contains("40\n"), out);
    }

    @Test
    void errorsPrintWithTheirPlaceAndTheSessionGoesOn() throws Exception {
        String out = runRepl("x = 1\ny = x + nope\nprint(x + 1)\n");
        assertTrue(out.contains("<stdin>:1:9: 'nope' is not defined"), out);
        assertTrue(out.contains("            ^"), out);
        assertTrue(out.contains("2\n"), out);
    }

    @Test
    void commands(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("setup.cnn");
        Files.writeString(script, "loaded = ones(4, 5)\nprint('loaded')\n");
        String out = runRepl(":help\n:help corr2d\n:help nothing_like_it\n:load " + script + "\n:vars\n"
                + ":time s = 0\n:mem\n:reset\n:vars\n:bogus\n:quit\nprint('not reached')\n");
        assertTrue(out.contains(":vars") && out.contains("tensors:"), out);
        assertTrue(out.contains("corr2d(X, K)   [tensors]"), out);
        assertTrue(out.contains("no built-in named 'nothing_like_it'"), out);
        assertTrue(out.contains("loaded\n"), out);
        assertTrue(out.matches("(?s).*loaded\\s+tensor\\s+\\(4, 5\\)\\s+float32.*"), out);
        assertTrue(out.matches("(?s).*time: [0-9.]+ (s|ms|µs).*"), out);
        assertTrue(out.matches("(?s).*\\d+ native arrays?, \\d+.*"), out);
        assertTrue(out.contains("no variables yet"), out);
        assertTrue(out.contains("unknown command ':bogus'"), out);
        assertFalse(out.contains("not reached"), out);
    }

    @Test
    void loadOfAMissingFileSaysSo() throws Exception {
        String out = runRepl(":load /no/such/file.cnn\n:load\n:time\n");
        assertTrue(out.contains("/no/such/file.cnn: no such file"), out);
        assertTrue(out.contains(":load needs a file"), out);
        assertTrue(out.contains(":time needs a statement"), out);
    }

    @Test
    void helpOverviewListsEveryFamily() {
        String help = Help.overview(List.of());
        for (String family : List.of("general", "tensors", "tensor methods")) {
            assertTrue(help.contains("  " + family + ":"), family);
        }
        assertTrue(Help.topic("X.sum", List.of()).contains("X.sum("), Help.topic("X.sum", List.of()));
    }
}

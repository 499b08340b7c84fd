package io.cnnscript.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;

/**
 * A one-line hint for a syntax error that comes from writing Python ({@code def f(x):},
 * {@code if x == 1:}, {@code """docstrings"""}, {@code import torch}): how cnnscript spells it.
 */
final class PythonSyntax {

    private PythonSyntax() {}

    private static final Pattern DEF = Pattern.compile("def\\s+(\\w+\\s*\\(.*\\))\\s*:?\\s*(#.*)?");
    private static final Pattern BLOCK_HEAD = Pattern.compile("(if|elif|else|for|while|fn|layer)\\b(.*):\\s*(#.*)?");

    /** "; hint" for an error at token t, or "". */
    static String hint(Token t) {
        if (t == null || t.getLine() < 1) {
            return "";
        }
        CharStream cs = t.getInputStream();
        if (cs == null || cs.size() == 0) {
            return "";
        }
        String[] lines = cs.getText(Interval.of(0, cs.size() - 1)).split("\r?\n", -1);
        if (t.getLine() > lines.length) {
            return "";
        }
        // The statement the error is in: from the last ';' before it.
        String line = lines[t.getLine() - 1];
        int semicolon = line.lastIndexOf(';', Math.min(t.getCharPositionInLine(), line.length()) - 1);
        String before = line.substring(semicolon + 1, Math.min(t.getCharPositionInLine(), line.length()));
        if (t.getText().equals("if") && !before.isBlank() && !before.strip().endsWith("else")
                && !before.strip().endsWith("}")) {
            return "; an if inside an expression needs its else: a if c else b";
        }
        return hint(semicolon < 0 ? line : line.substring(semicolon + 1));
    }

    /** "; hint" for an error on this source line, or "". */
    static String hint(String sourceLine) {
        String line = sourceLine.strip().replaceFirst("^\\}\\s*", "");
        if (line.contains("\"\"\"") || line.contains("'''")) {
            return "; cnnscript has no triple-quoted strings (docstrings): write comments with #";
        }
        Matcher def = DEF.matcher(line);
        if (def.matches()) {
            return "; cnnscript defines functions as fn " + def.group(1) + " { ... }";
        }
        if (line.startsWith("import ") || line.startsWith("from ")) {
            return "; cnnscript needs no imports: its built-ins are always there";
        }
        if (line.startsWith("class ")) {
            return "; cnnscript defines layers as layer Name(args) { ... forward(x) { ... } }";
        }
        Matcher head = BLOCK_HEAD.matcher(line);
        if (head.matches()) {
            String keyword = head.group(1).equals("elif") ? "else if" : head.group(1);
            return "; blocks go in braces: " + keyword + head.group(2).stripTrailing() + " { ... }";
        }
        return "";
    }
}

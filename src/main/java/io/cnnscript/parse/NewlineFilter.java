package io.cnnscript.parse;

import io.cnnscript.error.CnnException;
import io.cnnscript.parse.gen.CnnLexer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * Decides which newlines end a statement. A newline does not end one inside ( ) or [ ], after
 * a token that needs a right-hand side (an operator, a comma, '='), before a line that starts
 * by continuing the previous one ('>>', '.', 'and', 'or', 'else', ...), or after another
 * newline. It also checks that brackets pair up, so that an unclosed bracket is reported at
 * the bracket itself rather than at the end of the file.
 */
final class NewlineFilter {

    /** Tokens after which a line goes on. */
    private static final Set<String> OPEN_ENDED = Set.of(
            "+", "-", "*", "/", "//", "%", "**", "@", ">>", "==", "!=", "<", "<=", ">", ">=",
            "and", "or", "not", ",", "=", "+=", "-=", "*=", "/=", "//=", ".", "in", "is");

    /** Tokens that, first on a line, continue the line before. */
    private static final Set<String> CONTINUERS = Set.of(">>", ".", "and", "or", "else", "@", "*", "/", "//", "**");

    /** Tokens that may directly follow a closing brace without ending its statement. */
    private static final Set<String> FOLLOWS_BLOCK = Set.of("else", ";", "}", ")", "]");

    /**
     * The deepest nesting of brackets and blocks a program may have (Python's tokenizer allows
     * 200 too). Deeper input is an attack or a mistake, and would cost the parser time and stack.
     */
    static final int MAX_NESTING = 200;

    private NewlineFilter() {}

    /** Result of scanning: the tokens the parser should see, and the brackets still open at the end. */
    record Result(List<Token> tokens, Deque<Token> openBrackets) {}

    static Result filter(List<? extends Token> raw, String file, boolean reportUnclosed) {
        List<Token> out = new ArrayList<>(raw.size());
        Deque<Token> brackets = new ArrayDeque<>();
        boolean endsBlock = false;
        for (int i = 0; i < raw.size(); i++) {
            Token t = raw.get(i);
            String text = t.getText();
            if (t.getType() == CnnLexer.NL) {
                if (!brackets.isEmpty() && !brackets.peek().getText().equals("{")) {
                    continue;
                }
                Token prev = lastSignificant(out);
                if (prev == null || prev.getType() == CnnLexer.NL || OPEN_ENDED.contains(prev.getText())
                        && prev.getType() != CnnLexer.STRING) {
                    continue;
                }
                Token next = nextSignificant(raw, i + 1);
                if (next != null && CONTINUERS.contains(next.getText()) && next.getType() != CnnLexer.STRING) {
                    continue;
                }
                out.add(t);
                continue;
            }
            if (t.getType() != CnnLexer.STRING) {
                switch (text) {
                    case "(", "[", "{" -> {
                        if (brackets.size() >= MAX_NESTING) {
                            throw error(file, t, "nesting too deep (more than " + MAX_NESTING + " levels of brackets "
                                    + "and blocks)");
                        }
                        brackets.push(t);
                    }
                    case ")", "]", "}" -> {
                        if (text.equals("}")) {
                            endsBlock = true;
                        }
                        if (brackets.isEmpty()) {
                            throw error(file, t, "unmatched '" + text + "'");
                        }
                        Token open = brackets.pop();
                        if (!closes(open.getText(), text)) {
                            throw error(file, t, "'" + text + "' does not match '" + open.getText() + "' at "
                                    + open.getLine() + ":" + (open.getCharPositionInLine() + 1));
                        }
                    }
                    default -> { }
                }
            }
            out.add(t);
            if (endsBlock) {
                // A closing brace ends its statement: "if c { return 1 } return 2" is two statements.
                Token next = i + 1 < raw.size() ? raw.get(i + 1) : null;
                if (next != null && next.getType() != CnnLexer.NL && !FOLLOWS_BLOCK.contains(next.getText())) {
                    CommonToken nl = new CommonToken(t);
                    nl.setType(CnnLexer.NL);
                    nl.setText("\n");
                    out.add(nl);
                }
                endsBlock = false;
            }
        }
        if (reportUnclosed && !brackets.isEmpty()) {
            Token open = brackets.peek();
            throw error(file, open, "'" + open.getText() + "' is never closed");
        }
        return new Result(out, brackets);
    }

    private static boolean closes(String open, String close) {
        return open.equals("(") && close.equals(")") || open.equals("[") && close.equals("]")
                || open.equals("{") && close.equals("}");
    }

    private static Token lastSignificant(List<Token> out) {
        return out.isEmpty() ? null : out.get(out.size() - 1);
    }

    private static Token nextSignificant(List<? extends Token> raw, int from) {
        for (int i = from; i < raw.size(); i++) {
            if (raw.get(i).getType() != CnnLexer.NL) {
                return raw.get(i);
            }
        }
        return null;
    }

    static CnnException error(String file, Token t, String message) {
        return new CnnException(message, file, t.getLine(), t.getCharPositionInLine() + 1, null);
    }
}

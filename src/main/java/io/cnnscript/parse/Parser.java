package io.cnnscript.parse;

import io.cnnscript.error.CnnException;
import io.cnnscript.parse.gen.CnnLexer;
import io.cnnscript.parse.gen.CnnParser;
import io.cnnscript.syntax.Stmt;
import java.util.List;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Turns source text into statements. The ANTLR parse tree never leaves this package: the
 * {@link AstBuilder} turns it into {@code io.cnnscript.syntax} nodes. Parsing stops at the first
 * error, which is thrown as a {@link CnnException} with its location.
 */
public final class Parser {

    private Parser() {}

    /** Parses a whole program. */
    public static List<Stmt> parse(String source, String file) {
        return parse(source, file, () -> { });
    }

    /**
     * Parses a whole program, calling {@code poll} every few tokens: it throws (a CnnException)
     * to stop parsing, so a time limit or an interrupt stops a huge script's parse too.
     */
    public static List<Stmt> parse(String source, String file, Runnable poll) {
        List<Token> tokens = lex(source, file, poll);
        tokens = NewlineFilter.filter(tokens, file, true).tokens();
        return parseTokens(tokens, file, poll);
    }

    /**
     * Tells whether the input is incomplete (an open bracket, brace or string, or a trailing
     * operator), so that a REPL keeps reading lines.
     */
    public static boolean isIncomplete(String source) {
        try {
            List<Token> tokens = lex(source, "<stdin>", () -> { });
            if (NewlineFilter.filter(tokens, "<stdin>", false).openBrackets().size() > 0) {
                return true;
            }
            for (int i = tokens.size() - 1; i >= 0; i--) {
                Token t = tokens.get(i);
                if (t.getType() == CnnLexer.NL) {
                    continue;
                }
                return t.getType() != CnnLexer.STRING && t.getType() != CnnLexer.NAME
                        && List.of(">>", "+", "-", "*", "/", "//", "%", "**", "@", ",", "=", "and", "or", "not", "\\")
                                .contains(t.getText())
                        || t.getType() == CnnLexer.BAD_CHAR && (t.getText().equals("\"") || t.getText().equals("'"));
            }
            return false;
        } catch (CnnException e) {
            return false;
        }
    }

    private static List<Token> lex(String source, String file, Runnable poll) {
        CnnLexer lexer = new CnnLexer(CharStreams.fromString(source, file));
        lexer.removeErrorListeners();
        List<Token> tokens = new java.util.ArrayList<>();
        for (Token t = lexer.nextToken(); t.getType() != Token.EOF; t = lexer.nextToken()) {
            if ((tokens.size() & 1023) == 0) {
                poll(poll, file, t);
            }
            tokens.add(t);
        }
        for (Token t : tokens) {
            if (t.getType() == CnnLexer.BAD_CHAR) {
                String text = t.getText();
                if (text.equals("\"") || text.equals("'")) {
                    throw NewlineFilter.error(file, t, "unterminated string" + PythonSyntax.hint(t));
                }
                throw NewlineFilter.error(file, t, "unexpected character '" + text + "'");
            }
        }
        return tokens;
    }

    /** Calls poll, placing what it throws at the token. */
    private static void poll(Runnable poll, String file, Token at) {
        try {
            poll.run();
        } catch (CnnException e) {
            throw e.at(file, at.getLine(), at.getCharPositionInLine() + 1);
        }
    }

    private static List<Stmt> parseTokens(List<Token> tokens, String file, Runnable poll) {
        // SLL is enough for nearly every program and much faster; LL settles the rest.
        CnnParser parser = newParser(tokens, file, poll);
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new org.antlr.v4.runtime.BailErrorStrategy());
        CnnParser.ProgramContext tree;
        try {
            tree = parser.program();
        } catch (ParseCancellationException e) {
            parser = newParser(tokens, file, poll);
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            tree = parser.program();
        }
        return new AstBuilder(file).program(tree);
    }

    private static CnnParser newParser(List<Token> tokens, String file, Runnable poll) {
        ListTokenSource source = new ListTokenSource(tokens, file) {
            private int count;

            @Override
            public Token nextToken() {
                Token t = super.nextToken();
                if ((++count & 255) == 0) {
                    poll(poll, file, t);
                }
                return t;
            }
        };
        CnnParser parser = new CnnParser(new CommonTokenStream(source));
        parser.removeErrorListeners();
        parser.addErrorListener(new ThrowingListener(file));
        return parser;
    }

    /** Reports the first syntax error as "unexpected X" (and what was expected, when that is short). */
    private static final class ThrowingListener extends BaseErrorListener {
        private final String file;

        ThrowingListener(String file) {
            this.file = file;
        }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
                RecognitionException e) {
            Token t = (Token) offending;
            String message = "unexpected " + describe(t);
            if (recognizer instanceof CnnParser parser) {
                IntervalSet expected = e != null && !(e instanceof NoViableAltException) ? e.getExpectedTokens()
                        : e == null ? parser.getExpectedTokens() : null;
                String hint = expected == null ? null : describeExpected(expected, parser);
                if (hint != null) {
                    message += ", expecting " + hint;
                }
                if (t != null && t.getText().equals("else")) {
                    message = "'else' without an 'if' before it";
                }
            }
            if (e instanceof InputMismatchException || e instanceof NoViableAltException || e == null) {
                // fall through: the message above says it
            }
            throw new CnnException(message + PythonSyntax.hint(t), file, line, col + 1, null);
        }

        private static String describe(Token t) {
            if (t == null || t.getType() == Token.EOF) {
                return "end of input";
            }
            if (t.getType() == CnnLexer.NL) {
                return "end of line";
            }
            return "'" + t.getText() + "'";
        }

        private static String describeExpected(IntervalSet expected, CnnParser parser) {
            List<Integer> types = expected.toList();
            if (types.isEmpty() || types.size() > 4) {
                return null;
            }
            return types.stream().map(type -> {
                if (type == Token.EOF) {
                    return "end of input";
                }
                if (type == CnnLexer.NL) {
                    return "end of line";
                }
                if (type == CnnLexer.NAME) {
                    return "a name";
                }
                if (type == CnnLexer.INT || type == CnnLexer.FLOAT) {
                    return "a number";
                }
                String literal = parser.getVocabulary().getLiteralName(type);
                return literal != null ? literal : parser.getVocabulary().getDisplayName(type);
            }).collect(Collectors.joining(" or "));
        }
    }
}

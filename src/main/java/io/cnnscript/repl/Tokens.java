package io.cnnscript.repl;

import io.cnnscript.parse.gen.CnnLexer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;

/**
 * The grammar's lexer run over a raw line for the REPL. The lexer skips comments, so the text
 * between two tokens is either blanks or a comment: {@link #of} gives both back as spans, so that
 * highlighting covers every character without a change to the grammar.
 */
final class Tokens {

    private Tokens() {}

    enum Kind { KEYWORD, NAME, NUMBER, STRING, COMMENT, OPERATOR, ERROR, BLANK }

    /** A piece of the line: [start, end) and what it is. */
    record Span(Kind kind, int start, int end, String text) {}

    /** The keywords, read from the lexer's vocabulary (every literal token made of letters). */
    static final Set<String> KEYWORDS = keywords();

    private static Set<String> keywords() {
        Set<String> out = new TreeSet<>();
        Vocabulary v = CnnLexer.VOCABULARY;
        for (int t = 1; t <= v.getMaxTokenType(); t++) {
            String literal = v.getLiteralName(t);
            if (literal != null && literal.matches("'[a-z]+'")) {
                out.add(literal.substring(1, literal.length() - 1));
            }
        }
        out.add(CONTEXTUAL_LAYER);
        return java.util.Collections.unmodifiableSet(out);
    }

    /** A keyword only before a layer's name (layer Name(...) { }); elsewhere a name such as any other. */
    private static final String CONTEXTUAL_LAYER = "layer";

    /** Every character of the text, in spans. */
    static List<Span> of(String text) {
        CnnLexer lexer = new CnnLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        List<Span> spans = new ArrayList<>();
        int at = 0;
        for (Token t : lexer.getAllTokens()) {
            int start = t.getStartIndex();
            int end = t.getStopIndex() + 1;
            if (start > at) {
                gap(text, at, start, spans);
            }
            Kind kind = kind(t, lexer.getVocabulary());
            if (kind == Kind.NAME) {
                markLayerKeyword(spans);
            }
            spans.add(new Span(kind, start, end, text.substring(start, end)));
            at = end;
        }
        if (at < text.length()) {
            gap(text, at, text.length(), spans);
        }
        return spans;
    }

    /** Text the lexer skipped: blanks, line continuations and comments (from '#' to the line's end). */
    private static void gap(String text, int from, int to, List<Span> spans) {
        int i = from;
        while (i < to) {
            int hash = text.indexOf('#', i);
            if (hash < 0 || hash >= to) {
                spans.add(new Span(Kind.BLANK, i, to, text.substring(i, to)));
                return;
            }
            if (hash > i) {
                spans.add(new Span(Kind.BLANK, i, hash, text.substring(i, hash)));
            }
            int eol = text.indexOf('\n', hash);
            int end = eol < 0 || eol > to ? to : eol;
            spans.add(new Span(Kind.COMMENT, hash, end, text.substring(hash, end)));
            i = end;
        }
    }

    private static Kind kind(Token t, Vocabulary v) {
        switch (t.getType()) {
            case CnnLexer.INT:
            case CnnLexer.FLOAT:
                return Kind.NUMBER;
            case CnnLexer.STRING:
                return Kind.STRING;
            case CnnLexer.NAME:
                return Kind.NAME;
            case CnnLexer.NL:
                return Kind.BLANK;
            case CnnLexer.BAD_CHAR:
                return Kind.ERROR;
            default:
                return KEYWORDS.contains(t.getText()) ? Kind.KEYWORD : Kind.OPERATOR;
        }
    }

    /** A name after the name layer (layer Net(...)): that layer is the keyword. */
    private static void markLayerKeyword(List<Span> spans) {
        int i = spans.size() - 1;
        while (i >= 0 && spans.get(i).kind() == Kind.BLANK) {
            i--;
        }
        if (i >= 0 && spans.get(i).kind() == Kind.NAME && spans.get(i).text().equals(CONTEXTUAL_LAYER)) {
            Span s = spans.get(i);
            spans.set(i, new Span(Kind.KEYWORD, s.start(), s.end(), s.text()));
        }
    }

    /** The line without its trailing comment and blanks (to see whether it ends with ';'). */
    static String code(String text) {
        List<Span> spans = of(text);
        for (int i = spans.size() - 1; i >= 0; i--) {
            Span s = spans.get(i);
            if (s.kind() != Kind.BLANK && s.kind() != Kind.COMMENT) {
                return text.substring(0, s.end());
            }
        }
        return "";
    }
}

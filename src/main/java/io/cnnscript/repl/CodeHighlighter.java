package io.cnnscript.repl;

import io.cnnscript.interp.Interpreter;
import java.util.Set;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours the line as the grammar's own lexer reads it: keywords, numbers, strings, built-in
 * names, comments, and characters the lexer rejects (an unterminated string shows in the error
 * colour up to the end of its line). A leading {@code :command} is bold.
 */
final class CodeHighlighter implements Highlighter {

    static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.BLUE);
    static final AttributedStyle NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    static final AttributedStyle STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    static final AttributedStyle BUILTIN = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    static final AttributedStyle COMMENT = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT).italic();
    static final AttributedStyle ERROR = AttributedStyle.BOLD.foreground(AttributedStyle.RED).underline();
    static final AttributedStyle COMMAND = AttributedStyle.BOLD;

    private volatile Set<String> builtins;

    @Override
    public AttributedString highlight(LineReader reader, String buffer) {
        return highlight(buffer);
    }

    AttributedString highlight(String buffer) {
        AttributedStringBuilder sb = new AttributedStringBuilder();
        String code = buffer;
        String lead = buffer.stripLeading();
        if (lead.startsWith(":")) {
            int end = buffer.indexOf(':');
            while (end < buffer.length() && !Character.isWhitespace(buffer.charAt(end))) {
                end++;
            }
            sb.append(buffer.substring(0, end), COMMAND);
            code = buffer.substring(end);
            if (!lead.startsWith(":time")) {
                return sb.append(code).toAttributedString();
            }
        }
        int unterminatedUntil = -1;
        for (Tokens.Span s : Tokens.of(code)) {
            if (s.start() < unterminatedUntil) {
                sb.append(code.substring(s.start(), Math.min(s.end(), unterminatedUntil)), ERROR);
                if (s.end() > unterminatedUntil) {
                    sb.append(code.substring(unterminatedUntil, s.end()));
                }
                continue;
            }
            AttributedStyle style = switch (s.kind()) {
                case KEYWORD -> KEYWORD;
                case NUMBER -> NUMBER;
                case STRING -> STRING;
                case COMMENT -> COMMENT;
                case ERROR -> ERROR;
                case NAME -> builtins().contains(s.text()) ? BUILTIN : AttributedStyle.DEFAULT;
                default -> AttributedStyle.DEFAULT;
            };
            if (s.kind() == Tokens.Kind.ERROR && (s.text().equals("\"") || s.text().equals("'"))) {
                int eol = code.indexOf('\n', s.start());
                unterminatedUntil = eol < 0 ? code.length() : eol;
            }
            sb.append(s.text(), style);
        }
        return sb.toAttributedString();
    }

    private Set<String> builtins() {
        Set<String> b = builtins;
        if (b == null) {
            b = Set.copyOf(Interpreter.standardLibrary().globals().keySet());
            builtins = b;
        }
        return b;
    }
}

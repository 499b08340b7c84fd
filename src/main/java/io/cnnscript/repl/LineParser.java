package io.cnnscript.repl;

import io.cnnscript.parse.Parser;
import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.SyntaxError;

/**
 * Tells JLine when an input is complete, and which word the cursor is in for completion.
 * While a bracket, brace or string is open, or the input ends with an operator, accepting the
 * line throws {@link EOFError}: JLine then shows the continuation prompt and keeps reading.
 */
public final class LineParser implements org.jline.reader.Parser {

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context) throws SyntaxError {
        if (context == ParseContext.ACCEPT_LINE && incomplete(line)) {
            throw new EOFError(-1, cursor, "incomplete input", "...");
        }
        return wordAt(line, cursor);
    }

    /** Whether the REPL should keep reading: code (or the statement after :time) is open. */
    public static boolean incomplete(String line) {
        String s = line.stripLeading();
        if (s.startsWith(":")) {
            return s.startsWith(":time ") && Parser.isIncomplete(s.substring(":time ".length()));
        }
        return Parser.isIncomplete(line);
    }

    /**
     * The word under the cursor: the name characters before it, or after {@code :load } and
     * {@code :help } the whole rest of the line (a path may hold '/' and '.').
     */
    static Word wordAt(String line, int cursor) {
        int start = cursor;
        String head = line.substring(0, cursor).stripLeading();
        if (head.startsWith(":load ") || head.startsWith(":help ")) {
            int space = line.indexOf(' ', line.indexOf(':'));
            start = space + 1;
            while (start < cursor && line.charAt(start) == ' ') {
                start++;
            }
        } else if (head.startsWith(":") && head.indexOf(' ') < 0) {
            start = line.indexOf(':');
        } else {
            while (start > 0 && isNameChar(line.charAt(start - 1))) {
                start--;
            }
        }
        int end = cursor;
        while (end < line.length() && isNameChar(line.charAt(end))) {
            end++;
        }
        return new Word(line, cursor, start, end);
    }

    public static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** A line with the word [start, end) under the cursor. */
    record Word(String line, int cursor, int start, int end) implements CompletingParsedLine {
        @Override
        public String word() {
            return line.substring(start, end);
        }

        @Override
        public int wordCursor() {
            return cursor - start;
        }

        @Override
        public int wordIndex() {
            return 0;
        }

        @Override
        public List<String> words() {
            return List.of(word());
        }

        /** Candidates go in as they are: names and paths need no quoting here. */
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            return candidate;
        }

        @Override
        public int rawWordCursor() {
            return wordCursor();
        }

        @Override
        public int rawWordLength() {
            return end - start;
        }

        /** The text before the word. */
        String before() {
            return line.substring(0, start);
        }
    }
}

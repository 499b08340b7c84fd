package io.cnnscript.repl;

import io.cnnscript.interp.Interpreter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * Inputs from a terminal through JLine: multi-line input (the {@link LineParser} asks for more
 * while the code is open), completion, highlighting, history with Ctrl-R, and Ctrl-C.
 */
public final class JLineSource implements LineSource {

    private final Terminal terminal;
    private final LineReader reader;

    /**
     * @param history     the history file, or null for none
     * @param interpreter the session's interpreter while it is idle, else null (for completion)
     */
    public JLineSource(Terminal terminal, Path history, Supplier<Interpreter> interpreter) {
        this.terminal = terminal;
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("cnn")
                .parser(new LineParser())
                .completer(new CodeCompleter(interpreter))
                .highlighter(new CodeHighlighter())
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, Repl.CONTINUATION)
                .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
                // '!' is an operator ("!="), not a history reference.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, true)
                .option(LineReader.Option.CASE_INSENSITIVE, false);
        if (history != null) {
            builder.variable(LineReader.HISTORY_FILE, history);
        }
        this.reader = builder.build();
        // Ctrl-D on a continuation line ends the unfinished input: its error is shown and nothing of
        // it runs, as in Python; on an empty prompt it still leaves (JLine ends the read before any
        // widget runs).
        reader.getWidgets().put(CANCEL_OR_DELETE, this::cancelOrDelete);
        // "dumb" is the keymap of a terminal JLine cannot drive (it inserted ^D as a character).
        for (String map : java.util.List.of(LineReader.EMACS, LineReader.VIINS, "dumb")) {
            org.jline.keymap.KeyMap<org.jline.reader.Binding> keys = reader.getKeyMaps().get(map);
            if (keys != null) {
                keys.bind(new org.jline.reader.Reference(CANCEL_OR_DELETE), org.jline.keymap.KeyMap.ctrl('D'));
            }
        }
    }

    private static final String CANCEL_OR_DELETE = "cnn-cancel-or-delete-char";

    /** The input Ctrl-D ended inside an unfinished statement, for {@link #read}; else null. */
    private String endedInside;

    /**
     * Ctrl-D: with the cursor at the end of input that already spans lines (an unfinished block
     * or bracket), the input ends there ({@link LineSource.EndedInside}: its error is shown, none
     * of it runs, a fresh prompt comes); elsewhere it deletes the character under the cursor (or
     * lists completions at the end), as in Emacs.
     */
    private boolean cancelOrDelete() {
        org.jline.reader.Buffer buf = reader.getBuffer();
        String text = buf.toString();
        if (text.indexOf('\n') >= 0 && buf.cursor() == buf.length()) {
            endedInside = text;
            throw new UserInterruptException(text);
        }
        reader.callWidget(LineReader.DELETE_CHAR_OR_LIST);
        return true;
    }

    /** The terminal's width: 0 (nothing redrawn) on a dumb terminal, 80 when it does not say. */
    @Override
    public int columns() {
        if ("dumb".equals(System.getenv("TERM")) || Terminal.TYPE_DUMB.equals(terminal.getType())) {
            return 0;
        }
        int w = terminal.getWidth();
        return w > 0 ? w : 80;
    }

    @Override
    public void greet(String banner) {
        terminal.writer().println(banner);
        terminal.writer().flush();
    }

    @Override
    public String read(String prompt) throws EndedInside {
        endedInside = null;
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException e) {
            if (endedInside != null) {
                String text = endedInside;
                endedInside = null;
                throw new EndedInside(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
            }
            // Ctrl-C while typing: the input is dropped, as Python says
            terminal.writer().println("KeyboardInterrupt");
            terminal.writer().flush();
            return "";
        } catch (EndOfFileException e) {
            return null;
        }
    }

    @Override
    public void whenPromptShown(Runnable load) {
        // The engine starts loading as the first prompt is drawn, so that the two do not
        // compete for the processor before the prompt is up.
        reader.getWidgets().put(LineReader.CALLBACK_INIT, () -> {
            load.run();
            return true;
        });
    }

    @Override
    public void onInterrupt(Runnable interrupt) {
        terminal.handle(Terminal.Signal.INT, signal -> interrupt.run());
    }

    @Override
    public String features() {
        return "Tab completes; ";
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            terminal.writer().println("cnn: could not save the history: " + e.getMessage());
        }
    }
}

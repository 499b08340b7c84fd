package io.cnnscript.repl;

import java.io.IOException;

/**
 * Where the REPL's inputs come from: a JLine terminal ({@link JLineSource}) or a plain stream of
 * lines ({@link PlainSource}). The loop, the prompts, the value-hiding rule and the
 * {@code :commands} are the {@link Repl}'s, the same for every source.
 */
public interface LineSource extends AutoCloseable {

    /**
     * Reads one input: a line, or several while the code is incomplete (an open bracket, a
     * trailing operator), showing {@code prompt} first and {@link Repl#CONTINUATION} before each
     * further line. Returns null at the end of the input; an empty string when the input was
     * dropped (Ctrl-C while it was typed: the source shows "KeyboardInterrupt", as Python does).
     *
     * @throws EndedInside when the input ends (the end of the stream, Ctrl-D) while a statement
     *                     is unfinished: nothing of it is run
     */
    String read(String prompt) throws IOException, EndedInside;

    /**
     * The input ended inside an unfinished statement (Python's "'[' was never closed" at Ctrl-D
     * on a continuation line): the REPL reports that statement's error without running any of
     * it, and reads on; a further end of the input leaves.
     */
    final class EndedInside extends Exception {
        private final String pending;

        public EndedInside(String pending) {
            super(null, null, false, false);
            this.pending = pending;
        }

        /** The unfinished input, its lines joined with '\n'. */
        public String pending() {
            return pending;
        }
    }

    /**
     * Calls {@code load} once the first prompt is up (so that loading the engine does not
     * delay it); a source that draws nothing calls it at once.
     */
    default void whenPromptShown(Runnable load) {
        load.run();
    }

    /**
     * Routes Ctrl-C while a statement runs to {@code interrupt} (which stops it at its next
     * statement: "interrupted"), where the source can see Ctrl-C.
     */
    default void onInterrupt(Runnable interrupt) {}

    /** Shows the banner where the prompts go (or nowhere, for a source that shows no prompts). */
    void greet(String banner);

    /** What the banner says besides :help and Ctrl-D (Tab completion, say); empty for none. */
    default String features() {
        return "";
    }

    /**
     * The columns of the terminal the output shows on, asked at each use (train's progress bar
     * is redrawn there, fitted to it); 0 when the output is not a terminal: nothing is redrawn.
     */
    default int columns() {
        return 0;
    }

    /** Ends reading (a terminal saves its history here). */
    @Override
    default void close() {}
}

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
     * dropped (Ctrl-C at the prompt).
     */
    String read(String prompt) throws IOException;

    /**
     * Calls {@code load} once the first prompt is up (so that loading the engine does not
     * delay it); a source that draws nothing calls it at once.
     */
    default void whenPromptShown(Runnable load) {
        load.run();
    }

    /** Routes Ctrl-C while a statement runs to {@code interrupt}, where the source can see it. */
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

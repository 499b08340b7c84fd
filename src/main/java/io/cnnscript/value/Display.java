package io.cnnscript.value;

/**
 * A front end that shows rich output beside the text of {@code print}: the Jupyter kernel has
 * one; the terminal REPL, scripts and embedders have none (their pictures go to PNG files).
 * Every method is called on the interpreter's thread, in the order the script runs.
 */
public interface Display {

    /** The value of a top-level expression, as the REPL would echo it ({@code Values.repr}). */
    void result(String text);

    /** A PNG picture, with a short text for front ends that cannot show it. */
    void image(byte[] png, String text);

    /**
     * A line of progress that replaces the previous one (train's progress bar); the first call
     * after {@code done} starts a new line.
     */
    void progress(String text, boolean done);
}

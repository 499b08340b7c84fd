package io.cnnscript.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Inputs read line by line from a plain stream, for a terminal JLine cannot drive (the output
 * redirected, or {@code CNN_REPL=plain}) and for tests. A line that leaves the code incomplete
 * is followed by the next ones, as at the JLine prompt.
 */
public final class PlainSource implements LineSource {

    private final BufferedReader in;
    private final PrintWriter prompts;

    /**
     * @param in      the lines
     * @param prompts where the prompts go, or null to show none
     */
    public PlainSource(BufferedReader in, PrintWriter prompts) {
        this(in, prompts, () -> 0);
    }

    /**
     * @param columns the width of the terminal the output shows on, 0 when it is not one (see
     *                {@link LineSource#columns})
     */
    public PlainSource(BufferedReader in, PrintWriter prompts, java.util.function.IntSupplier columns) {
        this.in = in;
        this.prompts = prompts;
        this.columns = columns;
    }

    private final java.util.function.IntSupplier columns;

    @Override
    public int columns() {
        return columns.getAsInt();
    }

    @Override
    public void greet(String banner) {
        if (prompts != null) {
            prompts.println(banner);
            prompts.flush();
        }
    }

    @Override
    public String read(String prompt) throws IOException {
        StringBuilder input = new StringBuilder();
        String show = prompt;
        while (true) {
            if (prompts != null) {
                prompts.print(show);
                prompts.flush();
            }
            String line = in.readLine();
            if (line == null) {
                // An open statement at the end of the input is run, so that its syntax error shows.
                return input.length() == 0 ? null : input.toString();
            }
            input.append(line);
            if (!LineParser.incomplete(input.toString())) {
                return input.toString();
            }
            input.append('\n');
            show = Repl.CONTINUATION;
        }
    }
}

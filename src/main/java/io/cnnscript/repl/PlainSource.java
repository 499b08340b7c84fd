package io.cnnscript.repl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Inputs read line by line from a plain stream, for a terminal JLine cannot drive (the output
 * redirected, or {@code CNN_REPL=plain}) and for tests. A line that leaves the code incomplete
 * is followed by the next ones, as at the JLine prompt; the end of the input inside an
 * unfinished statement is {@link LineSource.EndedInside}, and Ctrl-C is {@link #interrupt()}, as
 * on JLine.
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

    /** Ctrl-C while a statement runs, as the REPL routes it; null until it does. */
    private volatile Runnable whileRunning;
    /** Whether a line is being waited for (then Ctrl-C drops the input instead of stopping a statement). */
    private volatile boolean reading;
    /** Ctrl-Cs while reading, so that the read in progress drops what it gathered before. */
    private volatile int interrupts;

    @Override
    public void onInterrupt(Runnable interrupt) {
        this.whileRunning = interrupt;
    }

    /**
     * Routes the process's Ctrl-C (SIGINT) to {@link #interrupt()} instead of ending the JVM: the
     * plain REPL on a terminal, where JLine does not take the signal. Returns this source.
     */
    public PlainSource catchingCtrlC() {
        org.jline.utils.Signals.register("INT", this::interrupt);
        return this;
    }

    /**
     * Ctrl-C, as Python's REPL takes it: while an input is typed, what was typed of it is dropped
     * and "KeyboardInterrupt" and a fresh prompt are shown (the terminal itself drops the line
     * being typed); while a statement runs, it is stopped ("interrupted") and the prompt comes
     * back. Safe from any thread (the signal's).
     */
    public void interrupt() {
        if (reading) {
            synchronized (this) {
                interrupts++;
                if (prompts != null) {
                    prompts.print("\nKeyboardInterrupt\n" + Repl.PROMPT);
                    prompts.flush();
                }
            }
        } else {
            Runnable r = whileRunning;
            if (r != null) {
                r.run();
            }
        }
    }

    @Override
    public String read(String prompt) throws IOException, EndedInside {
        StringBuilder input = new StringBuilder();
        String show = prompt;
        while (true) {
            int before;
            synchronized (this) {
                if (prompts != null) {
                    prompts.print(show);
                    prompts.flush();
                }
                before = interrupts;
                reading = true;
            }
            String line;
            try {
                line = in.readLine();
            } finally {
                reading = false;
            }
            if (interrupts != before) {
                input.setLength(0); // Ctrl-C: what came before is dropped; this line starts a new input
            }
            if (line == null) {
                if (input.length() == 0) {
                    return null;
                }
                input.setLength(input.length() - 1); // the '\n' that awaited the next line
                throw new EndedInside(input.toString());
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

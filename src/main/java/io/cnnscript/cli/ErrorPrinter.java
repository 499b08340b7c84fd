package io.cnnscript.cli;

import io.cnnscript.api.CnnException;
import java.io.PrintWriter;

/** Prints a script error as {@code file:line:col: message}, the source line, and a caret under the spot. */
public final class ErrorPrinter {

    private ErrorPrinter() {}

    public static void print(PrintWriter err, CnnException e, String source, boolean debug) {
        err.println(e.getMessage());
        if (e.hasLocation() && source != null) {
            String[] lines = source.split("\r?\n", -1);
            if (e.line() - 1 < lines.length) {
                String line = lines[e.line() - 1].replace('\t', ' ');
                err.println("    " + line);
                err.println("    " + " ".repeat(Math.max(0, Math.min(e.column() - 1, line.length()))) + "^");
            }
        }
        if (debug && e.getCause() != null) {
            e.getCause().printStackTrace(err);
        } else if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
    }
}

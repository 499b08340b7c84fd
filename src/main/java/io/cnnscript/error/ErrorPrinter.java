package io.cnnscript.error;

import java.io.PrintWriter;

/** Prints a script error as {@code file:line:col: message}, the source line, and a caret under the spot. */
public final class ErrorPrinter {

    private ErrorPrinter() {}

    public static void print(PrintWriter err, CnnException e, String source, boolean debug) {
        err.print(traceback(e));
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

    /**
     * For an error inside a function, the calls that led to it as Python lists them, innermost
     * last: one line per call with its file:line and the function it was made in, then the
     * error's own line. A call repeated (recursion) is shown once with its count. "" for an
     * error at the top level.
     */
    public static String traceback(CnnException e) {
        java.util.List<CnnException.Call> calls = e.calls();
        if (calls.isEmpty() || !e.hasLocation()) {
            return "";
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            CnnException.Call c = calls.get(i);
            lines.add("  " + c.file() + ":" + c.line() + (i == 0 ? ", at the top level" : ", in " + calls.get(i - 1).function()));
        }
        lines.add("  " + e.file() + ":" + e.line() + ", in " + calls.get(calls.size() - 1).function());
        StringBuilder sb = new StringBuilder("Traceback (most recent call last):\n");
        for (int i = 0; i < lines.size(); ) {
            int same = 1;
            while (i + same < lines.size() && lines.get(i + same).equals(lines.get(i))) {
                same++;
            }
            sb.append(lines.get(i)).append('\n');
            if (same > 1) {
                sb.append("  [the line above repeats ").append(same - 1).append(same == 2 ? " more time]\n" : " more times]\n");
            }
            i += same;
        }
        return sb.toString();
    }
}

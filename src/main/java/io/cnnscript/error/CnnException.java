package io.cnnscript.error;


/**
 * The one exception type for every error a script can cause: syntax errors, runtime errors and
 * limits. It carries the file, line and column where the error happened (line 0 when unknown)
 * and prints as {@code file:line:col: message}.
 */
public class CnnException extends RuntimeException {

    private final String file;
    private final int line;
    private final int column;
    private final String detail;
    /** The calls that led to the error, outermost first (empty when it happened at the top level). */
    private final java.util.ArrayList<Call> calls = new java.util.ArrayList<>();

    /**
     * One call on the way to an error: where it was made (file and line) and the function it
     * called. The first is made at the top level, each next one inside the function before it;
     * the error itself happened inside the last one's function.
     */
    public record Call(String file, int line, String function) {}

    public CnnException(String message) {
        this(message, null, 0, 0, null);
    }

    public CnnException(String message, Throwable cause) {
        this(message, null, 0, 0, cause);
    }

    public CnnException(String message, String file, int line, int column, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = message;
    }

    /** The file (or "&lt;eval&gt;", "&lt;stdin&gt;") the error is in; null when unknown. */
    public String file() {
        return file;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** The message without its location. */
    public String detail() {
        return detail;
    }

    public boolean hasLocation() {
        return line > 0;
    }

    /** This error placed at a location, unless it already has one. */
    public CnnException at(String file, int line, int column) {
        if (hasLocation()) {
            return this;
        }
        CnnException placed = new CnnException(detail, file, line, column, getCause());
        placed.setStackTrace(getStackTrace());
        placed.calls.addAll(calls);
        return placed;
    }

    /** The calls that led to the error, outermost first, as a traceback lists them. */
    public java.util.List<Call> calls() {
        return java.util.Collections.unmodifiableList(calls);
    }

    /** Records the call, made at file:line, that the error came out of (the interpreter does this as it unwinds). */
    public void addCaller(String file, int line, String function) {
        calls.add(0, new Call(file, line, function));
    }

    @Override
    public String getMessage() {
        return hasLocation() ? file + ":" + line + ":" + column + ": " + detail : detail;
    }
}

package io.cnnscript.lib;

/** Turns engine errors into text a user can read. */
public final class Errors {

    private Errors() {}

    /**
     * The first line of an exception's message: libtorch appends its C++ stack to what it says,
     * and DJL wraps it; the user needs only the sentence.
     */
    public static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        if (nl > 0) {
            m = m.substring(0, nl).strip();
        }
        int raised = m.indexOf("Exception raised from");
        if (raised > 0) {
            m = m.substring(0, raised).strip();
        }
        return m;
    }
}

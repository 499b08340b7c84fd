package io.cnnscript.value;

/** Anything a script can call: built-ins, script functions, layers, networks. */
public interface Callable {

    /** The name shown in messages, e.g. "corr2d". */
    String name();

    /**
     * Calls with positional arguments and keyword arguments (names and values side by side;
     * both arrays may be empty but never null).
     */
    Object call(Runtime rt, Object[] args, String[] keywordNames, Object[] keywordValues);

    /** What help(f) and :help f show (a signature, a doc), ending with a newline; null for nothing. */
    default String help() {
        return null;
    }
}

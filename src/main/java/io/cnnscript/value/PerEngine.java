package io.cnnscript.value;

/**
 * A built-in value with state a script can change (a layer's training flag): each engine gets
 * its own copy instead of sharing one JVM-wide object, so one engine's {@code ReLU.eval()} is
 * not seen by another.
 */
public interface PerEngine {

    /** A fresh copy for a new engine. */
    Object copyForEngine();
}

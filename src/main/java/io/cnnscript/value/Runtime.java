package io.cnnscript.value;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import java.io.PrintWriter;
import java.util.Random;

/**
 * What built-ins and layers need from the interpreter that runs them. Tensors a statement's
 * calls and operations return belong to that statement and are freed when it ends, unless a
 * variable, list or layer keeps them.
 */
public interface Runtime {

    /**
     * The manager to make new tensors in. Nothing made there is registered by hand: a built-in's
     * result gets its owner from the call ({@link #adopt}), and a tensor it makes on the way and
     * does not return is closed with the call's scratch scope (a DJL NDScope), so a built-in
     * only returns what it computes.
     */
    NDManager scope();

    /**
     * Decides who owns a result, once, on the way out of a call or an operation: a
     * {@link Borrowed} is unwrapped and stays with its holder; a tensor (or a tensor item of a
     * returned tuple or list) that is not one of {@code inputs} (or an item of a list or tuple
     * among them) is new and the running statement owns it. Returns the result unwrapped.
     */
    Object adopt(Object result, Object... inputs);

    /**
     * Opens a scratch scope for one operation (a DJL {@link ai.djl.ndarray.NDScope}): closing it
     * closes every tensor made while it was open, except those {@link #adopt} took. No script
     * code may run inside one.
     */
    default ai.djl.ndarray.NDScope scratch() {
        return new ai.djl.ndarray.NDScope();
    }

    /** Makes a value outlive the running statement (it is about to be stored somewhere). */
    void keep(Object value);

    /**
     * A manager for long-lived tensors that no variable holds directly and that their holder
     * keeps, every one (a per-engine state); it is freed when the engine closes, and no statement
     * ever owns a tensor of it, even one returned as a new result.
     */
    NDManager newOwnedManager();

    /**
     * State a library class keeps for this engine, made by make on first use and dropped with the
     * engine (so it is never shared between engines, nor held in a static map). A make that gives
     * null only looks: nothing is stored and the answer is null until some state was made.
     */
    <T> T engineState(Class<T> key, java.util.function.Supplier<T> make);

    /**
     * A manager for the tensors of {@code owner} (a layer's parameters): freed when a sweep
     * finds the owner unreachable and none of its tensors held elsewhere, or when the engine
     * closes. No statement ever owns one of the owner's own tensors (for a layer, what its
     * state lists), even one returned as a new result. {@code bytes} is what the caller is about to make there; it counts towards the
     * next sweep.
     */
    default NDManager newOwnedManager(Object owner, long bytes) {
        return newOwnedManager();
    }

    /** The most elements one new tensor may have; creators refuse more with a clear error. */
    default long maxTensorElements() {
        return 1L << 31;
    }

    /**
     * Checks a tensor about to be made, before the native call: {@code elements} (a double, so
     * that huge products do not overflow) against maxTensorElements, and its bytes against the
     * engine's native-memory limit. Throws a CnnException that starts with {@code what}.
     */
    default void checkNew(String what, double elements, int bytesPerElement) {
        if (elements > maxTensorElements()) {
            throw new CnnException(what + " would hold " + String.format(java.util.Locale.ROOT,
                    "%,.0f", elements) + " elements; the limit is " + String.format(java.util.Locale.ROOT, "%,d",
                    maxTensorElements()));
        }
    }

    /** Where print writes. */
    PrintWriter out();

    /** Where warnings and notes go. */
    PrintWriter err();

    /**
     * Shows a warning, as Python's {@code warnings.warn} with its default filter: {@code
     * file:line:col: UserWarning: message} at the script's call that led to it, with its source
     * line, once for each line, category and text (a loop warns once). Without a script call
     * (a host's call) the warning has no place.
     */
    default void warn(String category, String message) {
        err().println(category + ": " + message);
        err().flush();
    }

    /** Calls a script value (a function or a layer) with positional arguments. */
    Object call(Object callable, Object... args);

    /** Java-side randomness that follows {@code seed(n)}. */
    Random random();

    /**
     * Runs a draw from libtorch's random generator with this engine's own stream in it (engines
     * do not share random numbers). {@code replay} makes the same draws in the manager it is
     * given; {@code elements} is how many numbers the draw takes. See interp.RandomStream.
     */
    <T> T drawRandom(long elements, java.util.function.Supplier<T> draw,
            java.util.function.Consumer<NDManager> replay);

    /** Sets the seed of every random source. */
    void seed(long seed);

    /** Throws if the user asked to stop (Ctrl-C) or a limit was passed; long built-ins call it often. */
    void checkStop();

    /**
     * Records that tensors which record gradients may exist in this engine from now on: a
     * param, a layer's parameters, a tensor from the host that is part of a graph. Call it
     * before such a tensor is made or let in.
     */
    void noteAutograd();

    /**
     * Whether {@link #noteAutograd} was called. While it was not, no tensor of the engine is
     * part of an autograd graph or saved by one, which the Java-side fast paths rely on.
     */
    boolean autogradInUse();

    /** Checks that a path may be used for reading or writing, and returns it resolved. */
    java.nio.file.Path checkPath(String path, boolean write);

    /** The front end's rich display (Jupyter), or null when pictures go to files. */
    default Display display() {
        return null;
    }

    /**
     * The columns of the terminal that {@link #out()} shows on, asked each time (the window may
     * be resized); 0 when out is not a terminal, and then nothing is redrawn in place.
     */
    default int terminalWidth() {
        return 0;
    }

    /**
     * {@code left >> right} for operands the operators do not know (layers), as the engine's
     * library defines it, or null when it does not apply.
     */
    default Object compose(Object left, Object right) {
        return null;
    }
}

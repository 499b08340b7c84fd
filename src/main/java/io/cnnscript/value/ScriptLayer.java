package io.cnnscript.value;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A layer whose forward code is a script's (a {@code layer Name(...) { ... }} instance).
 * Calling it (through {@link Callable}) runs forward; its parameters are the tensors its body
 * made with param(), in the order made, with the names the script gave them.
 */
public interface ScriptLayer extends Callable {

    /** (name, parameter) pairs. */
    List<Param> parameters();

    record Param(String name, NDArray value) {}
}

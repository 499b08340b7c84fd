package io.cnnscript.value;

import java.util.function.Consumer;

/**
 * A value that holds other values (a function's closure, a layer's state). The interpreter
 * walks these to find which tensors are still reachable, so that it can free the rest.
 */
public interface Traversable {
    void forEachChild(Consumer<Object> visitor);
}

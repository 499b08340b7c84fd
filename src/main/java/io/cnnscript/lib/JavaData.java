package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;

/**
 * Tensors made from Java data own their memory.
 *
 * <p>DJL's {@code NDManager.create} of Java data (arrays, buffers, numbers) does not copy on the
 * CPU: libtorch wraps a direct ByteBuffer ({@code torch::from_blob}) that only that one NDArray
 * object keeps reachable. A view of the tensor (reshape, an index, expandDims) shares the memory
 * but not the buffer, so once the first array is closed and collected, the JVM frees the memory
 * under the view: {@code X = arange(18.0).reshape(2, 3, 3)} then read malloc's free-list words in
 * X's first elements. Every tensor made from Java data that can reach script code or outlive its
 * maker goes through {@link #own}.
 */
public final class JavaData {

    private JavaData() {}

    /** A copy of a tensor DJL made from Java data, in memory libtorch owns; the original is closed. */
    public static NDArray own(NDArray fromJava) {
        NDArray copy = fromJava.duplicate();
        fromJava.close();
        return copy;
    }
}

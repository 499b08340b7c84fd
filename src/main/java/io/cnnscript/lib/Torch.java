package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The libtorch calls for which DJL 0.36 has no engine-neutral API that computes the same thing;
 * the rest of cnnscript goes through DJL's NDArray / NDManager. (Grad mode is in
 * {@link GradMode}; the Java-side fast paths of {@link HostTensors} read a tensor's memory and
 * handle, which is engine-specific by nature.) Why each one stays:
 * <ul>
 * <li>{@link #backward}: DJL's neutral {@code GradientCollector.backward} needs an open
 *     collector, and the PyTorch engine allows one per JVM at a time; engines run side by side.
 * <li>{@link #zeroGrad}, {@link #gradient}: PyTorch's {@code p.grad.zero_()} and {@code p.grad}
 *     (None before the first backward). DJL's {@code getGradient()} makes zeros when there is no
 *     gradient (MXNet's behaviour), and zeroing through it ({@code g.subi(g)}) turns inf into NaN.
 * <li>{@link #index}, {@link #indexSet}, {@link #indexAdv}, {@link #indexAdvPut}: the libtorch
 *     calls DJL's PyTorch indexer makes for {@code NDArray.get/set(NDIndex)}, without building
 *     and parsing an NDIndex per element access: the fast path of {@code X[i, j]} and {@code X[i, j] = v}.
 * <li>{@link #adaptivePool}: DJL's NDArray API has no adaptive pooling.
 * <li>{@link #setSeed}: DJL's {@code Engine.setRandomSeed} also reseeds DJL's Java-side random
 *     generator, which every engine in the JVM shares; cnnscript gives each engine its own stream.
 * <li>{@link #releaser}: DJL frees an array only through its {@code close()} (or its manager's);
 *     a tensor handed to the host must also be freed once nothing reaches it ({@link HostCopies}),
 *     when the array object itself is gone.
 * </ul>
 */
public final class Torch {

    private Torch() {}

    /** Whether the index fast paths below may take this tensor (one of the PyTorch engine's). */
    public static boolean supports(NDArray a) {
        return a instanceof PtNDArray;
    }

    /** {@code loss.backward(grad)}, the graph freed after it. */
    public static void backward(NDArray loss, NDArray grad) {
        JniUtils.backward((PtNDArray) loss, (PtNDArray) grad, false, false);
    }

    /** {@code p.grad.zero_()} where p has a gradient. */
    public static void zeroGrad(NDArray p) {
        JniUtils.zeroGrad((PtNDArray) p);
    }

    /** {@code x.grad}: a new handle on the gradient, or null before the first backward. */
    public static NDArray gradient(NDArray x) {
        return JniUtils.getGradient((PtNDArray) x);
    }

    /** {@code x[min:max:step, ...]} (one range per dimension) as a new tensor in {@code into}. */
    public static NDArray index(NDArray x, long[] min, long[] max, long[] step, NDManager into) {
        return JniUtils.index((PtNDArray) x, min, max, step, (PtNDManager) into);
    }

    /** {@code x[min:max:step, ...] = value}, in place. */
    public static void indexSet(NDArray x, NDArray value, long[] min, long[] max, long[] step) {
        JniUtils.indexSet((PtNDArray) x, (PtNDArray) value, min, max, step);
    }

    /** {@code x[index]} with tensor (advanced) indices, as a new tensor in {@code into}. */
    public static NDArray indexAdv(NDArray x, NDIndex index, NDManager into) {
        return JniUtils.indexAdv((PtNDArray) x, index, (PtNDManager) into);
    }

    /** {@code x[index] = value} with tensor (advanced) indices, in place. */
    public static void indexAdvPut(NDArray x, NDIndex index, NDArray value) {
        JniUtils.indexAdvPut((PtNDArray) x, index, (PtNDArray) value);
    }

    /** PyTorch's adaptive_max_pool2d / adaptive_avg_pool2d to {@code size}. */
    public static NDArray adaptivePool(NDArray x, Shape size, boolean max) {
        return max ? JniUtils.adaptiveMaxPool((PtNDArray) x, size) : JniUtils.adaptiveAvgPool((PtNDArray) x, size);
    }

    /** Seeds libtorch's default generator (only). */
    public static void setSeed(long seed) {
        JniUtils.setSeed(seed);
    }

    private static final java.lang.reflect.Field HANDLE = handleField();

    private static java.lang.reflect.Field handleField() {
        try {
            java.lang.reflect.Field f = ai.djl.util.NativeResource.class.getDeclaredField("handle");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // DJL on the module path, or a DJL without the field: tensors are freed by close() only
        }
    }

    /**
     * Frees a tensor's native memory once, whichever comes first: {@link #run()} or the array's own
     * {@code close()} (both take the native handle from the array's one {@code AtomicReference}, so
     * the tensor is deleted exactly once). It holds the handle, not the array, so it can run after
     * the array object is collected.
     */
    public static final class Release implements Runnable {
        private final java.util.concurrent.atomic.AtomicReference<Long> handle;

        private Release(java.util.concurrent.atomic.AtomicReference<Long> handle) {
            this.handle = handle;
        }

        @Override
        public void run() {
            Long pointer = handle.getAndSet(null);
            if (pointer != null && pointer != -1L) {
                JniUtils.deleteNDArray(pointer);
            }
        }

        /** Whether the tensor is freed already (by this or by the array's close()). */
        public boolean done() {
            return handle.get() == null;
        }
    }

    /** The {@link Release} of a tensor, or null when its handle cannot be reached (then only close() frees it). */
    @SuppressWarnings("unchecked")
    public static Release releaser(NDArray a) {
        if (HANDLE == null || !(a instanceof PtNDArray)) {
            return null;
        }
        try {
            return new Release((java.util.concurrent.atomic.AtomicReference<Long>) HANDLE.get(a));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}

package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.cnnscript.value.Runtime;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Work on small float32 tensors done in Java, straight in the tensors' memory, where a libtorch
 * call would cost microseconds for a few nanoseconds of arithmetic: the notebook's loops that
 * slice a 3x3 window, multiply it by a kernel, sum it and write one element.
 *
 * <p>{@link #view} is the one gate in front of every such path (the fused reductions of the
 * interpreter read through it, {@link #setElement} writes through it). It lets a tensor through
 * only when the Java side provably computes what libtorch would:
 * <ul>
 * <li>no tensor of the engine records gradients ({@link Runtime#autogradInUse()} is false: no
 *     param, no layer with parameters, no tensor from the host that is part of a graph). Then no
 *     tensor involved, leaf or not, is part of an autograd graph, and no graph can have saved a
 *     tensor, so a write that skips libtorch's version counter changes nothing autograd could
 *     notice. Once gradients are in use, everything goes through libtorch;</li>
 * <li>the tensor is float32 on the CPU, and its memory is what DJL's public
 *     {@link NDArray#toByteBuffer(boolean) toByteBuffer(true)} gives: for a contiguous tensor that
 *     is the tensor's own memory, for any other a copy. Which of the two it gave is proved once
 *     per tensor by writing a probe value through the buffer and reading the element back
 *     through libtorch; a copy is freed at once (a DJL {@link NDScope}) and the tensor goes
 *     through libtorch.</li>
 * </ul>
 * The arithmetic is the same IEEE float arithmetic libtorch does, and the reductions add in the
 * order libtorch's CPU kernels add (that order is checked against libtorch itself once per
 * process, and the Java side is not used when it does not match).
 */
public final class HostTensors {

    private HostTensors() {}

    /** Blocks larger than this go through libtorch, which is as fast or faster there. */
    public static final int MAX_ELEMENTS = 256;

    /** What the Java side knows about one tensor: its memory and shape, or that it cannot work on it. */
    public static final class View {
        final NDArray array;
        final long handle;
        /** The tensor's own memory, native byte order; null when this tensor must go through libtorch. */
        public final ByteBuffer data;
        public final long[] shape;

        View(NDArray array, long handle, ByteBuffer data, long[] shape) {
            this.array = array;
            this.handle = handle;
            this.data = data;
            this.shape = shape;
        }

        /** The element stride of dimension d (the tensor is contiguous, row-major). */
        public long stride(int d) {
            long s = 1;
            for (int i = d + 1; i < shape.length; i++) {
                s *= shape[i];
            }
            return s;
        }
    }

    private static final int CACHE_SIZE = 64;
    private static final ThreadLocal<View[]> CACHE = ThreadLocal.withInitial(() -> new View[CACHE_SIZE]);

    /**
     * The gate: the Java-side view of a tensor, or null when the Java side may not work on it
     * (see the class comment). Each thread remembers the tensors it looked at last, so a loop
     * proves a tensor's memory once, not once per iteration. (A tensor's layout and memory do not
     * change while it lives: cnnscript never replaces a tensor's storage.)
     */
    public static View view(Runtime rt, NDArray a) {
        if (rt.autogradInUse() || !(a instanceof PtNDArray p) || p.isReleased()) {
            return null;
        }
        Long h = p.getHandle();
        View[] cache = CACHE.get();
        int slot = System.identityHashCode(a) & (CACHE_SIZE - 1);
        View v = cache[slot];
        if (v != null && v.array == a && v.handle == h) {
            return v.data == null ? null : v;
        }
        v = new View(a, h, ownMemory(p), p.getShape().getShape());
        cache[slot] = v;
        return v.data == null ? null : v;
    }

    /**
     * The tensor's own memory, or null. {@code toByteBuffer(true)} gives it for a contiguous
     * tensor and a contiguous copy for any other; the probe tells the two apart by writing a
     * value through the buffer and reading the first element through libtorch (the old value is
     * put back at once). Every array made on the way, a copy included, belongs to the scope and
     * is freed when it closes.
     */
    private static ByteBuffer ownMemory(PtNDArray p) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            if (p.getDataType() != DataType.FLOAT32 || p.getDevice().isGpu() || p.isSparse()) {
                return null;
            }
            long size = p.getShape().size();
            if (size == 0 || size > Integer.MAX_VALUE / 4) {
                return null;
            }
            ByteBuffer b = p.toByteBuffer(true);
            if (b == null || !b.isDirect() || b.capacity() != size * 4) {
                return null;
            }
            b = b.duplicate().order(ByteOrder.nativeOrder());
            int old = b.getInt(0);
            float probe = Float.intBitsToFloat(old) == 1f ? 2f : 1f;
            b.putFloat(0, probe);
            float seen;
            try {
                seen = firstElement(p);
            } finally {
                b.putInt(0, old);
            }
            return Float.floatToRawIntBits(seen) == Float.floatToRawIntBits(probe) ? b : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The first element as libtorch reads it (a new 0-d array, or a clone of a 0-d tensor). */
    private static float firstElement(PtNDArray p) {
        int dims = p.getShape().dimension();
        NDArray first = dims == 0 ? p.duplicate() : p.get(p.getManager(), new long[dims]);
        return first.toFloatArray()[0];
    }

    /**
     * Whether a tensor records gradients: a leaf that requires grad, or a result computed in a
     * graph. DJL's {@code hasGradient()} answers for leaves only (libtorch's requires_grad of a
     * leaf, or of a tensor that retains its grad); for the rest, libtorch refuses to change
     * requires_grad of a tensor computed in a graph and does nothing to one that needs no
     * gradient. Used where tensors come from outside the engine.
     */
    public static boolean recordsGradient(NDArray a) {
        if (!(a instanceof PtNDArray p) || p.isReleased()) {
            return false;
        }
        return JniUtils.requiresGrad(p) || computedInGraph(p);
    }

    /**
     * PyTorch's {@code x.is_leaf}: false only for a tensor computed in the autograd graph (one
     * with a grad_fn); a tensor that needs no gradient, an int one included, is a leaf.
     */
    public static boolean isLeaf(NDArray a) {
        if (!(a instanceof PtNDArray p) || p.isReleased() || !a.getDataType().isFloating()) {
            return true;
        }
        return JniUtils.requiresGrad(p) || !computedInGraph(p);
    }

    /**
     * Whether a tensor that does not itself require grad as a leaf was computed in a graph:
     * libtorch refuses to clear requires_grad of exactly those tensors, and does nothing to the
     * others (a leaf that requires grad must not be asked: it would lose its flag).
     */
    private static boolean computedInGraph(PtNDArray p) {
        try {
            JniUtils.attachGradient(p, false);
            return false;
        } catch (ai.djl.engine.EngineException e) {
            return true;
        }
    }

    /**
     * Lets a value from outside the engine in (a host's binding or a host function's result):
     * when a tensor in it records gradients, the engine's autograd is in use from now on. So it
     * is for a layer, a function or another value that came out of an engine: it may hold
     * parameters.
     */
    public static void admit(Runtime rt, Object v) {
        if (rt.autogradInUse()) {
            return;
        }
        if (v instanceof NDArray a) {
            if (recordsGradient(a)) {
                rt.noteAutograd();
            }
        } else if (v instanceof io.cnnscript.value.PyList l) {
            for (Object item : l.items()) {
                admit(rt, item);
            }
        } else if (v instanceof io.cnnscript.value.Tuple t) {
            for (int i = 0; i < t.size(); i++) {
                admit(rt, t.get(i));
            }
        } else if (!(v == null || v instanceof Number || v instanceof String || v instanceof Boolean
                || v == io.cnnscript.value.NoneValue.NONE || v instanceof Builtin)) {
            rt.noteAutograd();
        }
    }

    /**
     * Writes one number into the element {@code subs} names (one int per dimension), in the
     * tensor's memory, when the gate lets the tensor through; false when the write must go
     * through libtorch.
     */
    static boolean setElement(Runtime rt, NDArray a, Object[] subs, Object value) {
        float x;
        if (value instanceof Float f) {
            x = f;
        } else if (value instanceof Double d && !(Math.abs(d) > Float.MAX_VALUE && Double.isFinite(d))) {
            x = (float) (double) d; // a finite double beyond float32's range is refused by libtorch's path
        } else if (value instanceof Long l) {
            x = (float) (long) l;
        } else {
            return false;
        }
        View v = view(rt, a);
        if (v == null || subs.length != v.shape.length) {
            return false;
        }
        long offset = 0;
        for (int d = 0; d < subs.length; d++) {
            if (!(subs[d] instanceof Long i)) {
                return false;
            }
            long size = v.shape[d];
            long at = i < 0 ? i + size : i;
            if (at < 0 || at >= size) {
                return false;
            }
            offset += at * v.stride(d);
        }
        v.data.putFloat((int) (offset * 4), x);
        return true;
    }

    // ------------------------------------------------------------------ reductions as libtorch adds

    /** libtorch's vector width for float on this machine (8 or 16); 0 until checked, -1 when unknown. */
    private static volatile int vectorWidth;

    /**
     * Sums a row the way libtorch's {@code row_sum} does for short rows: four interleaved partial
     * sums, the remainder into the first, then the partials added in order.
     */
    static float rowSum(float[] v, int start, int n) {
        int groups = n / 4;
        if (groups >= 16) {
            throw new IllegalArgumentException("row too long for the short-row order");
        }
        float p0 = 0f;
        float p1 = 0f;
        float p2 = 0f;
        float p3 = 0f;
        for (int g = 0; g < groups; g++) {
            int at = start + g * 4;
            p0 += v[at];
            p1 += v[at + 1];
            p2 += v[at + 2];
            p3 += v[at + 3];
        }
        for (int i = groups * 4; i < n; i++) {
            p0 += v[start + i];
        }
        p0 += p1;
        p0 += p2;
        p0 += p3;
        return p0;
    }

    /**
     * libtorch's sum of one run of n floats from {@code start}, for a vector width w: short runs as
     * {@link #rowSum}; longer ones in w lanes (four interleaved vector partials), then the elements
     * after the last whole vector, then the lanes.
     */
    static float runSum(float[] v, int start, int n, int w) {
        if (n < w) {
            return rowSum(v, start, n);
        }
        int vectors = n / w;
        int groups = vectors / 4;
        if (groups >= 16) {
            throw new IllegalArgumentException("too long for the short-row order");
        }
        float[][] partial = new float[4][w];
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < 4; k++) {
                int base = start + (g * 4 + k) * w;
                for (int lane = 0; lane < w; lane++) {
                    partial[k][lane] += v[base + lane];
                }
            }
        }
        for (int vec = groups * 4; vec < vectors; vec++) {
            for (int lane = 0; lane < w; lane++) {
                partial[0][lane] += v[start + vec * w + lane];
            }
        }
        for (int k = 1; k < 4; k++) {
            for (int lane = 0; lane < w; lane++) {
                partial[0][lane] += partial[k][lane];
            }
        }
        float acc = 0f;
        for (int i = vectors * w; i < n; i++) {
            acc += v[start + i];
        }
        for (int lane = 0; lane < w; lane++) {
            acc += partial[0][lane];
        }
        return acc;
    }

    /**
     * The sum libtorch gives for a block laid out as {@code rows} runs of {@code cols} elements
     * ({@code rows == 1}: one contiguous run of all of them), or null when this order is not
     * known to match.
     * libtorch starts from a zero output and adds each run's sum to it.
     */
    public static Float sum(NDManager probe, float[] v, int rows, int cols) {
        int w = vectorWidth(probe);
        if (w <= 0 || v.length == 0) {
            return null;
        }
        if (cols >= 16 * 4 * w || rows * cols != v.length) {
            return null;
        }
        float out = 0f;
        for (int r = 0; r < rows; r++) {
            out += runSum(v, r * cols, cols, w);
        }
        return out;
    }

    /**
     * Finds libtorch's vector width by summing a few probe rows natively and comparing with the
     * orders above for 8 and 16 lanes. Runs once per process.
     */
    static int vectorWidth(NDManager m) {
        int w = vectorWidth;
        if (w != 0) {
            return w;
        }
        synchronized (HostTensors.class) {
            if (vectorWidth == 0) {
                vectorWidth = probeWidth(m);
            }
            return vectorWidth;
        }
    }

    private static int probeWidth(NDManager m) {
        java.util.Random r = new java.util.Random(12345);
        int[] lengths = {9, 16, 17, 40, 100, 255};
        float[][] rows = new float[lengths.length][];
        float[] expected = new float[lengths.length];
        try (NDManager scope = m.newSubManager()) {
            for (int i = 0; i < lengths.length; i++) {
                float[] v = new float[lengths[i]];
                for (int j = 0; j < v.length; j++) {
                    // values over many magnitudes, so that any other order rounds differently
                    v[j] = (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(9) - 3));
                }
                rows[i] = v;
                try (NDArray t = scope.create(v); NDArray s = t.sum()) {
                    expected[i] = s.getFloat();
                }
            }
        } catch (RuntimeException e) {
            return -1;
        }
        for (int w : new int[] {16, 8}) {
            boolean all = true;
            for (int i = 0; i < lengths.length && all; i++) {
                all = Float.floatToRawIntBits(0f + runSum(rows[i], 0, rows[i].length, w))
                        == Float.floatToRawIntBits(expected[i]);
            }
            if (all) {
                return w;
            }
        }
        return -1;
    }
}

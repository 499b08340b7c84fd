package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Work on small float32 tensors done in Java, straight in the tensors' memory, where a libtorch
 * call would cost microseconds for a few nanoseconds of arithmetic: the notebook's loops that
 * slice a 3x3 window, multiply it by a kernel, sum it and write one element.
 *
 * <p>Only tensors that no gradient is recorded for, on the CPU, float32 and contiguous, qualify;
 * everything else goes through libtorch as before. The arithmetic is the same IEEE float
 * arithmetic libtorch does, and the reductions add in the order libtorch's CPU kernels add (that
 * order is checked against libtorch itself once per process, and the Java side is not used when
 * it does not match). One difference is deliberate: a write done here does not bump the tensor's
 * autograd version counter, so changing a tensor that a recorded graph saved no longer makes a
 * later backward() fail as PyTorch would.
 */
public final class HostTensors {

    private HostTensors() {}

    /** Blocks larger than this go through libtorch, which is as fast or faster there. */
    public static final int MAX_ELEMENTS = 256;

    /** What the Java side knows about one tensor: its memory and shape, or that it cannot work on it. */
    public static final class View {
        final NDArray array;
        final long handle;
        /** The tensor's memory, native byte order; null when this tensor must go through libtorch. */
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

    private static final MethodHandle IS_CONTIGUOUS;
    private static final MethodHandle DIRECT_BUFFER;

    static {
        MethodHandle contiguous = null;
        MethodHandle direct = null;
        try {
            // DJL keeps these two libtorch calls in a package-private class; read them once.
            Class<?> lib = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field f = lib.getDeclaredField("LIB");
            f.setAccessible(true);
            Object instance = f.get(null);
            Method c = lib.getDeclaredMethod("torchIsContiguous", long.class);
            Method d = lib.getDeclaredMethod("torchDirectByteBuffer", long.class);
            c.setAccessible(true);
            d.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            contiguous = lookup.unreflect(c).bindTo(instance);
            direct = lookup.unreflect(d).bindTo(instance);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            contiguous = null;
            direct = null;
        }
        IS_CONTIGUOUS = contiguous;
        DIRECT_BUFFER = direct;
    }

    private static final int CACHE_SIZE = 64;
    private static final ThreadLocal<View[]> CACHE = ThreadLocal.withInitial(() -> new View[CACHE_SIZE]);

    /**
     * The Java-side view of a tensor, with {@code data == null} when the Java side may not work
     * on it. Each thread remembers the tensors it looked at last, so a loop pays the libtorch
     * queries once per tensor, not once per iteration.
     */
    public static View view(NDArray a) {
        if (!(a instanceof PtNDArray p) || IS_CONTIGUOUS == null || p.isReleased()) {
            return null;
        }
        Long h = p.getHandle();
        View[] cache = CACHE.get();
        int slot = System.identityHashCode(a) & (CACHE_SIZE - 1);
        View v = cache[slot];
        if (v != null && v.array == a && v.handle == h) {
            return v;
        }
        v = new View(a, h, bufferOf(p, h), p.getShape().getShape());
        cache[slot] = v;
        return v;
    }

    private static ByteBuffer bufferOf(PtNDArray p, long handle) {
        try {
            if (p.getDataType() != DataType.FLOAT32 || p.getDevice().isGpu() || p.hasGradient()) {
                return null;
            }
            long size = p.getShape().size();
            if (size == 0 || !(boolean) IS_CONTIGUOUS.invokeExact(handle)) {
                return null;
            }
            ByteBuffer b = (ByteBuffer) DIRECT_BUFFER.invokeExact(handle);
            if (b == null || b.capacity() != size * 4) {
                return null;
            }
            return b.order(ByteOrder.nativeOrder());
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Writes one number into the element {@code subs} names (one int per dimension), in the
     * tensor's memory, when the Java side may (see the class comment); false when the write must
     * go through libtorch.
     */
    static boolean setElement(NDArray a, Object[] subs, Object value) {
        float x;
        if (value instanceof Float f) {
            x = f;
        } else if (value instanceof Double d) {
            x = (float) (double) d;
        } else if (value instanceof Long l) {
            x = (float) (long) l;
        } else {
            return false;
        }
        View v = view(a);
        if (v == null || v.data == null || subs.length != v.shape.length) {
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

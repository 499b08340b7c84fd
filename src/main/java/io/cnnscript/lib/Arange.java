package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.Ints;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Values;

/**
 * {@code arange} as PyTorch 1.13's CPU kernel computes it, element for element. An integer
 * dtype takes start, stop and step truncated to ints ({@code arange(2.5, dtype="int64")} is
 * {@code [0, 1]}; a step of 0.5 truncates to 0 and is refused). Floats are computed in double
 * and rounded to the dtype the way PyTorch's AVX2 kernel does: in blocks of 16 float32 (8 float64)
 * elements, each group of 8 (4) starts from {@code start + step * i} rounded to the dtype and adds
 * {@code k * step} to that; the last elements are {@code start + step * i}; each {@code a + b * c}
 * is one fused multiply-add, as the compiler made it in PyTorch's AVX2 build. (Above 32,768
 * elements PyTorch splits the work among threads and the blocks may start elsewhere.)
 */
final class Arange {

    private Arange() {}

    static NDArray make(Runtime rt, Object start, Object stop, Object step, DataType type) {
        for (Object v : new Object[] {start, stop, step}) {
            if (v instanceof java.math.BigInteger) {
                throw Ints.overflowInTensor(v);
            }
        }
        double s0 = Conversions.toDouble(start, "start");
        double s1 = Conversions.toDouble(stop, "stop");
        double st = Conversions.toDouble(step, "step");
        if (type == DataType.BOOLEAN) {
            throw new CnnException("arange() cannot make a bool tensor (PyTorch: \"arange_cpu\" not implemented for 'Bool')");
        }
        if (!Double.isFinite(s0) || !Double.isFinite(s1)) {
            throw new CnnException("arange() unsupported range: " + Values.str(start) + " -> " + Values.str(stop));
        }
        boolean integral = !type.isFloating();
        long i0 = (long) s0;
        long i1 = (long) s1;
        long is = (long) st;
        double size;
        if (integral) {
            if (is == 0) {
                throw new CnnException(st == 0 ? "arange() step cannot be zero"
                        : "arange() step " + Values.str(step) + " is 0 as an int (PyTorch: step must be nonzero)");
            }
            checkDirection(start, stop, step, is > 0 ? i1 >= i0 : i1 <= i0);
            size = type == DataType.INT64 ? Math.ceil((double) (i1 - i0) / is) : Math.ceil((s1 - s0) / st);
        } else {
            if (st == 0) {
                throw new CnnException("arange() step cannot be zero");
            }
            checkDirection(start, stop, step, st > 0 ? s1 >= s0 : s1 <= s0);
            size = Math.ceil((s1 - s0) / st);
        }
        long n = (long) Math.max(0, size);
        TensorBuiltins.checkedSize(rt, io.cnnscript.value.Tuple.of(n), "arange");
        int count = (int) n;
        NDManager m = rt.scope();
        Shape shape = new Shape(n);
        NDArray r;
        if (integral) {
            long[] out = new long[count];
            for (int i = 0; i < count; i++) {
                out[i] = i0 + is * i;
            }
            r = JavaData.own(m.create(out, shape));
        } else if (type == DataType.FLOAT64) {
            double[] out = new double[count];
            int blocks = count / 8 * 8;
            for (int i = 0; i < count; i++) {
                if (i < blocks) {
                    int base = i / 4 * 4;
                    out[i] = Math.fma(i - base, st, Math.fma(st, base, s0));
                } else {
                    out[i] = Math.fma(st, i, s0);
                }
            }
            r = JavaData.own(m.create(out, shape));
        } else {
            float[] out = new float[count];
            int blocks = count / 16 * 16;
            for (int i = 0; i < count; i++) {
                if (i < blocks) {
                    int base = i / 8 * 8;
                    float first = (float) Math.fma(st, base, s0);
                    out[i] = (float) Math.fma(i - base, st, first);
                } else {
                    out[i] = (float) Math.fma(st, i, s0);
                }
            }
            r = JavaData.own(m.create(out, shape));
        }
        return r.getDataType() == type ? r : r.toType(type, false);
    }

    private static void checkDirection(Object start, Object stop, Object step, boolean ok) {
        if (!ok) {
            // PyTorch refuses a step that leads away from stop rather than give an empty tensor.
            throw new CnnException("arange() cannot go from " + Values.str(start) + " to " + Values.str(stop)
                    + " by a step of " + Values.str(step) + " (PyTorch: upper bound and larger bound inconsistent with step sign)");
        }
    }
}

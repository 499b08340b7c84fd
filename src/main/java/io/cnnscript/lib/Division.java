package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Values;

/**
 * {@code //} on tensors, and {@code %} on integer tensors, computed element by element in Java.
 *
 * <p>DJL offers no floor division, and libtorch's integer division kernels trap (SIGFPE, which
 * kills the JVM) on the minimum of int64 or int32 divided by -1. So these are computed here with
 * PyTorch's definitions: the result dtype is PyTorch's promotion of the operands; integers divide
 * with the floor and an integer divisor of zero is PyTorch's ZeroDivisionError; floats follow
 * c10's {@code div_floor_floating} (fmod, then one correction, then rounding the quotient to a
 * whole number), in the dtype's own precision, so that {@code 1.0 // 0.1} is 9 as in PyTorch.
 * The minimum // -1 is an error for int64 and int32 (PyTorch has no answer: its process dies)
 * and wraps for int16 and int8 as PyTorch's does; the minimum % -1 is 0. The result records no
 * gradient (PyTorch's floor division has none either).
 */
final class Division {

    private Division() {}

    /** Whether {@code a op b}, with a tensor among the operands, is computed here. */
    static boolean handles(BinaryOp op, Object a, Object b) {
        return op == BinaryOp.FLOORDIV || op == BinaryOp.MOD && !Promotion.result(a, b).isFloating();
    }

    static NDArray compute(Runtime rt, BinaryOp op, Object a, Object b) {
        DataType type = Promotion.result(a, b);
        if (type == DataType.BOOLEAN) {
            throw new CnnException("'" + op.symbol + "' is not implemented for bool tensors (PyTorch: \""
                    + (op == BinaryOp.MOD ? "remainder_cpu" : "div_floor_cpu") + "\" not implemented for 'Bool')");
        }
        NDArray x = operand(rt, a, type);
        NDArray y = operand(rt, b, type);
        Shape shape = broadcast(op, x.getShape(), y.getShape());
        int n = Math.toIntExact(shape.size());
        int[] xi = indexMap(x.getShape(), shape);
        int[] yi = indexMap(y.getShape(), shape);
        if (type == DataType.FLOAT64) {
            double[] xv = x.toDoubleArray();
            double[] yv = y.toDoubleArray();
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = floorDivide(xv[xi == null ? i : xi[i]], yv[yi == null ? i : yi[i]]);
            }
            return JavaData.own(rt.scope().create(out, shape));
        }
        if (type.isFloating()) {
            // float32 and the half types: computed in float32, then rounded to the dtype.
            float[] xv = floats(x);
            float[] yv = floats(y);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = floorDivide(xv[xi == null ? i : xi[i]], yv[yi == null ? i : yi[i]]);
            }
            NDArray r = JavaData.own(rt.scope().create(out, shape));
            return type == DataType.FLOAT32 ? r : r.toType(type, false);
        }
        long[] xv = io.cnnscript.value.TensorData.longs(x);
        long[] yv = io.cnnscript.value.TensorData.longs(y);
        long min = minimum(type);
        boolean trapping = type == DataType.INT64 || type == DataType.INT32;
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long p = xv[xi == null ? i : xi[i]];
            long q = yv[yi == null ? i : yi[i]];
            if (q == 0) {
                throw new CnnException("ZeroDivisionError: integer '" + op.symbol + "' by zero in a tensor");
            }
            if (q == -1 && p == min && trapping && op == BinaryOp.FLOORDIV) {
                throw new CnnException("integer overflow: " + p + " // -1 does not fit in " + Dtypes.name(type)
                        + " (PyTorch's kernel stops the process on it)");
            }
            out[i] = op == BinaryOp.FLOORDIV ? Math.floorDiv(p, q) : Math.floorMod(p, q);
        }
        NDArray r = JavaData.own(rt.scope().create(out, shape));
        return type == DataType.INT64 ? r : r.toType(type, false);
    }

    /**
     * {@code a //= rhs}: the quotient written into a, as PyTorch's {@code floor_divide_} does;
     * a float quotient cannot go into an int tensor, and rhs must broadcast to a's shape. A
     * param is changed outside the recorded graph, as {@code +=} changes it.
     */
    static void inPlace(Runtime rt, NDArray a, Object rhs) {
        NDArray r = compute(rt, BinaryOp.FLOORDIV, a, rhs);
        if (r.getDataType().isFloating() && !a.getDataType().isFloating()) {
            throw new CnnException("result type " + torchName(r.getDataType())
                    + " can't be cast to the desired output type " + torchName(a.getDataType()));
        }
        if (!r.getShape().equals(a.getShape())) {
            throw new CnnException("output with shape " + dims(a.getShape()) + " doesn't match the broadcast shape "
                    + dims(r.getShape()));
        }
        NDArray value = r.getDataType() == a.getDataType() ? r : r.toType(a.getDataType(), false);
        NDArray target = a.getShape().dimension() == 0 ? a.reshape(1) : a;
        if (target != a) {
            value = value.reshape(1);
        }
        int n = target.getShape().dimension();
        long[] step = new long[n];
        java.util.Arrays.fill(step, 1);
        try (GradMode g = GradMode.disabledIf(a.hasGradient())) {
            Torch.indexSet(target, value, new long[n], target.getShape().getShape(), step);
        } catch (ai.djl.engine.EngineException e) {
            throw new CnnException("'//=': " + Errors.firstLine(e));
        }
        if (rt != null && !a.hasGradient() && a.getDataType().isFloating() && NotDifferentiable.recordsGradient(a)) {
            // a tensor computed from a param: PyTorch's floor_divide_ keeps it in the graph, and a
            // backward through it fails
            NotDifferentiable.markInPlace(rt, a, "derivative for aten::floor_divide_ is not implemented");
        }
    }

    private static String dims(Shape s) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < s.dimension(); i++) {
            sb.append(i > 0 ? ", " : "").append(s.get(i));
        }
        return sb.append("]").toString();
    }

    /** PyTorch's C++ name of a dtype, as its messages use. */
    static String torchName(DataType t) {
        switch (t) {
            case FLOAT32:
                return "Float";
            case FLOAT64:
                return "Double";
            case FLOAT16:
                return "Half";
            case BFLOAT16:
                return "BFloat16";
            case INT64:
                return "Long";
            case INT32:
                return "Int";
            case INT16:
                return "Short";
            case INT8:
                return "Char";
            case UINT8:
                return "Byte";
            case BOOLEAN:
                return "Bool";
            default:
                return t.toString();
        }
    }

    /** c10::div_floor_floating in double precision. */
    static double floorDivide(double a, double b) {
        if (b == 0) {
            return a / b;
        }
        double mod = a % b;
        double div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1;
        }
        if (div == 0) {
            return Math.copySign(0.0, a / b);
        }
        double floor = Math.floor(div);
        if (div - floor > 0.5) {
            floor += 1;
        }
        return floor;
    }

    /** c10::div_floor_floating in single precision: every step rounds to float, as the C++ does. */
    static float floorDivide(float a, float b) {
        if (b == 0) {
            return a / b;
        }
        float mod = a % b;
        float div = (a - mod) / b;
        if (mod != 0 && (b < 0) != (mod < 0)) {
            div -= 1;
        }
        if (div == 0) {
            return Math.copySign(0.0f, a / b);
        }
        float floor = (float) Math.floor(div);
        if (div - floor > 0.5f) {
            floor += 1;
        }
        return floor;
    }

    private static NDArray operand(Runtime rt, Object v, DataType type) {
        if (v instanceof NDArray t) {
            return t.getDataType() == type ? t : t.toType(type, false);
        }
        if (!Values.isNumber(v)) {
            throw new CnnException("a tensor cannot meet " + Values.aTypeName(v) + " here");
        }
        return Promotion.scalarTensor(rt, v, type);
    }

    private static float[] floats(NDArray a) {
        if (a.getDataType() == DataType.FLOAT32) {
            return a.toFloatArray();
        }
        try (NDArray c = a.toType(DataType.FLOAT32, true)) {
            return c.toFloatArray();
        }
    }

    private static long minimum(DataType t) {
        switch (t) {
            case INT8:
                return Byte.MIN_VALUE;
            case INT16:
                return Short.MIN_VALUE;
            case INT32:
                return Integer.MIN_VALUE;
            case INT64:
                return Long.MIN_VALUE;
            default:
                return 0; // unsigned: no negative minimum
        }
    }

    /** Broadcasts two shapes as PyTorch does, or says why they do not fit, in libtorch's words. */
    static Shape broadcast(BinaryOp op, Shape a, Shape b) {
        int n = Math.max(a.dimension(), b.dimension());
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int ai = a.dimension() - n + i;
            int bi = b.dimension() - n + i;
            long sa = ai >= 0 ? a.get(ai) : 1;
            long sb = bi >= 0 ? b.get(bi) : 1;
            if (sa != sb && sa != 1 && sb != 1) {
                throw new CnnException("shapes " + TensorFormat.shape(a) + " and " + TensorFormat.shape(b)
                        + " do not fit for '" + op.symbol + "': The size of tensor a (" + sa
                        + ") must match the size of tensor b (" + sb + ") at non-singleton dimension " + i);
            }
            out[i] = sa == 1 ? sb : sa;
        }
        return new Shape(out);
    }

    /** For each element of the broadcast result, the flat position it reads in {@code from}; null when the same. */
    private static int[] indexMap(Shape from, Shape to) {
        if (from.equals(to)) {
            return null;
        }
        int n = to.dimension();
        long[] strides = new long[n];
        long stride = 1;
        for (int i = n - 1; i >= 0; i--) {
            int fi = from.dimension() - n + i;
            long size = fi >= 0 ? from.get(fi) : 1;
            strides[i] = size == 1 ? 0 : stride;
            stride *= size;
        }
        int total = Math.toIntExact(to.size());
        int[] map = new int[total];
        long[] counter = new long[n];
        long at = 0;
        for (int k = 0; k < total; k++) {
            map[k] = (int) at;
            for (int d = n - 1; d >= 0; d--) {
                counter[d]++;
                at += strides[d];
                if (counter[d] < to.get(d)) {
                    break;
                }
                at -= strides[d] * counter[d];
                counter[d] = 0;
            }
        }
        return map;
    }
}

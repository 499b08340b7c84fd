package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.Ints;

/**
 * PyTorch's type promotion ({@code torch.result_type}) for the operands of one operation:
 * tensors and plain numbers. Operands fall in three groups, each promoted on its own: tensors
 * with dimensions, 0-dimensional tensors, and plain numbers (an int counts as int64, a float as
 * float32, the default dtype); then a lower group changes the result only when it is of a higher
 * category (bool, then integer, then floating). So a 0-d int32 plus an int stays int32, an
 * int64 tensor divided by a 0-d float64 gives float64, and a float32 tensor times a 0-d float64
 * stays float32.
 */
public final class Promotion {

    private Promotion() {}

    /** The dtype PyTorch computes {@code a op b} in (before a comparison turns it into bool). */
    public static DataType result(Object a, Object b) {
        DataType result = combined(a, b);
        if (result == DataType.INT16) {
            // The engine aborts the whole process on an int16 tensor: refuse it with words instead.
            throw new CnnException("uint8 with int8 gives int16 in PyTorch, a dtype cnnscript's tensors do not have; "
                    + "convert one side first with .int() (int32) or .long() (int64)");
        }
        return result;
    }

    /**
     * The dtype a comparison of a and b is computed in: as {@link #result}, except that uint8 with
     * int8 is compared in int32, which holds every value of both exactly (PyTorch's int16 does too).
     */
    public static DataType comparison(Object a, Object b) {
        DataType type = combined(a, b);
        return type == DataType.INT16 ? DataType.INT32 : type;
    }

    private static DataType combined(Object a, Object b) {
        DataType[] groups = new DataType[3]; // dimensioned, 0-d, plain numbers
        add(groups, a);
        add(groups, b);
        return combine(groups[0], combine(groups[1], groups[2]));
    }

    private static void add(DataType[] groups, Object v) {
        int g;
        DataType t;
        if (v instanceof NDArray x) {
            g = x.getShape().dimension() > 0 ? 0 : 1;
            t = x.getDataType();
        } else {
            g = 2;
            t = v instanceof Boolean ? DataType.BOOLEAN : v instanceof Double ? DataType.FLOAT32 : DataType.INT64;
        }
        groups[g] = groups[g] == null ? t : promote(groups[g], t);
    }

    /** c10's combine_categories: the higher group wins unless the lower one is of a higher category. */
    private static DataType combine(DataType higher, DataType lower) {
        if (higher == null) {
            return lower;
        }
        if (lower == null || higher.isFloating()) {
            return higher;
        }
        if (higher == DataType.BOOLEAN || lower.isFloating()) {
            return promote(higher, lower);
        }
        return higher;
    }

    /** c10's promoteTypes for the dtypes cnnscript meets. */
    public static DataType promote(DataType a, DataType b) {
        if (a == b) {
            return a;
        }
        if (a == DataType.BOOLEAN) {
            return b;
        }
        if (b == DataType.BOOLEAN) {
            return a;
        }
        if (a.isFloating() || b.isFloating()) {
            if (!a.isFloating()) {
                return b;
            }
            if (!b.isFloating()) {
                return a;
            }
            if (a == DataType.FLOAT64 || b == DataType.FLOAT64) {
                return DataType.FLOAT64;
            }
            return DataType.FLOAT32; // float32 with a half type, or float16 with bfloat16
        }
        if ((a == DataType.UINT8 && b == DataType.INT8) || (a == DataType.INT8 && b == DataType.UINT8)) {
            return DataType.INT16;
        }
        if (a == DataType.UINT8) {
            return b;
        }
        if (b == DataType.UINT8) {
            return a;
        }
        return a.getNumOfBytes() >= b.getNumOfBytes() ? a : b;
    }

    /**
     * A plain number as a 0-d tensor of the given dtype, converted as PyTorch converts it (C++
     * casts: an int into int32 wraps, an int into float32 rounds once).
     */
    static NDArray scalarTensor(io.cnnscript.value.Runtime rt, Object v, DataType type) {
        if (v instanceof java.math.BigInteger) {
            throw Ints.overflowInTensor(v);
        }
        ai.djl.ndarray.NDManager m = rt.scope();
        if (v instanceof Boolean b) {
            if (type == DataType.BOOLEAN) {
                return JavaData.own(m.create(b.booleanValue()));
            }
            v = b ? 1L : 0L;
        }
        NDArray s;
        if (v instanceof Long n) {
            long x = n;
            switch (type) {
                case FLOAT32 -> s = JavaData.own(m.create((float) x));
                case FLOAT64 -> s = JavaData.own(m.create((double) x));
                case INT64 -> s = JavaData.own(m.create(x));
                case INT32 -> s = JavaData.own(m.create((int) x));
                case INT8 -> s = JavaData.own(m.create((byte) x));
                default -> s = JavaData.own(m.create(x));
            }
        } else {
            double d = (Double) v;
            switch (type) {
                case FLOAT32 -> s = JavaData.own(m.create((float) d));
                default -> s = JavaData.own(m.create(d));
            }
        }

        return s.getDataType() == type ? s : s.toType(type, false);
    }

    /**
     * t in dtype type (t's own dtype too: a copy, PyTorch's clone()), a new tensor the caller
     * owns. DJL's toType and duplicate copy under libtorch's no-grad guard, where PyTorch's
     * conversion and clone are recorded: so a float tensor that records gradients is copied by
     * libtorch's copy_ into a new tensor of the float type (written through slices that cover
     * it), which autograd records and whose backward converts the gradient back to t's dtype.
     * The values are those of toType (the same conversion kernel), widening or narrowing;
     * w.clone() * 2 + w gives w the gradient 3 as in PyTorch (it was 1).
     */
    public static NDArray cast(NDArray t, DataType type) {
        DataType from = t.getDataType();
        if (!type.isFloating() || !from.isFloating() || !GradMode.isEnabled() || !HostTensors.recordsGradient(t)) {
            return type == from ? t.duplicate() : t.toType(type, true);
        }
        ai.djl.ndarray.types.Shape shape = t.getShape();
        if (shape.dimension() == 0) {
            try (NDArray one = t.reshape(1); NDArray copy = cast(one, type)) {
                return copy.reshape(new ai.djl.ndarray.types.Shape());
            }
        }
        NDArray out = t.getManager().zeros(shape, type);
        long[] step = new long[shape.dimension()];
        java.util.Arrays.fill(step, 1);
        Torch.indexSet(out, t, new long[shape.dimension()], shape.getShape(), step);
        return out;
    }
}

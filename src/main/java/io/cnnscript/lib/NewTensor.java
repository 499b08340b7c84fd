package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.Ints;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tensor(data, dtype=none, requires_grad=false)}, PyTorch 1.13's {@code torch.tensor}: the
 * sizes are read along the first items, the dtype is inferred from every item (ints int64, floats
 * float32, bools bool, a tensor item its own dtype, promoted together; an empty list float32)
 * unless given, and each item is then stored in that dtype with PyTorch's checks and errors
 * (ragged rows, an int that does not fit, a value that is not a number). A tensor as data is
 * copied outside the autograd graph, with PyTorch's warning.
 */
final class NewTensor {

    private NewTensor() {}

    static final String COPY_WARNING = "To copy construct from a tensor, it is recommended to use "
            + "sourceTensor.clone().detach() or sourceTensor.clone().detach().requires_grad_(True), rather than "
            + "torch.tensor(sourceTensor).";

    static NDArray make(Runtime rt, Object data, DataType dtype, Object requiresGrad) {
        if (!(requiresGrad instanceof Boolean grad)) {
            throw new CnnException("tensor(): argument 'requires_grad' must be bool, not " + Values.typeName(requiresGrad));
        }
        NDArray t;
        if (data instanceof NDArray x) {
            rt.warn("UserWarning", COPY_WARNING);
            NDArray copy = x.duplicate().stopGradient();
            t = dtype == null || dtype == copy.getDataType() ? copy : copy.toType(dtype, false);
        } else {
            t = fromData(rt, data, dtype);
        }
        if (grad) {
            if (!t.getDataType().isFloating()) {
                throw new CnnException("Only Tensors of floating point and complex dtype can require gradients "
                        + "(this one is " + Dtypes.name(t.getDataType()) + ")");
            }
            rt.noteAutograd();
            t.setRequiresGradient(true);
        }
        return t;
    }

    private static NDArray fromData(Runtime rt, Object data, DataType given) {
        if (data instanceof String) {
            throw invalidType(data);
        }
        List<Long> dims = new ArrayList<>();
        Object probe = data;
        while (isSequence(probe)) {
            if (dims.size() == 64) {
                throw new CnnException("a tensor has at most 64 dimensions; these lists nest deeper (a list that "
                        + "holds itself?)");
            }
            long n = length(probe);
            dims.add(n);
            if (n == 0) {
                break;
            }
            probe = item(probe, 0);
        }
        Shape shape = new Shape(dims.stream().mapToLong(Long::longValue).toArray());
        DataType type = given != null ? given : infer(data);
        long size = shape.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new CnnException("tensor(): too many elements (" + size + ")");
        }
        int n = (int) size;
        boolean floating = type.isFloating();
        double[] d = floating ? new double[n] : null;
        long[] l = floating ? null : new long[n];
        if (n > 0) {
            store(data, 0, shape, type, d, l, new int[1]);
        }
        if (floating) {
            if (type == DataType.FLOAT64) {
                return JavaData.own(rt.scope().create(d, shape));
            }
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                f[i] = (float) d[i]; // as PyTorch: a double first, then a float (and a half from the float)
            }
            NDArray t = JavaData.own(rt.scope().create(f, shape));
            return type == DataType.FLOAT32 ? t : t.toType(type, false);
        }
        if (type == DataType.BOOLEAN) {
            boolean[] b = new boolean[n];
            for (int i = 0; i < n; i++) {
                b[i] = l[i] != 0;
            }
            return JavaData.own(rt.scope().create(b, shape));
        }
        NDArray t = JavaData.own(rt.scope().create(l, shape));
        return type == DataType.INT64 ? t : t.toType(type, false);
    }

    private static boolean isSequence(Object v) {
        return v instanceof PyList || v instanceof Tuple || v instanceof RangeValue;
    }

    private static long length(Object seq) {
        return seq instanceof RangeValue r ? r.length() : Conversions.sequence(seq, "").size();
    }

    private static Object item(Object seq, long i) {
        return seq instanceof RangeValue r ? r.get(i) : Conversions.sequence(seq, "").get((int) i);
    }

    /** PyTorch's infer_scalar_type: the items' types promoted together. */
    private static DataType infer(Object v) {
        if (v instanceof Double) {
            return DataType.FLOAT32;
        }
        if (v instanceof Boolean) {
            return DataType.BOOLEAN;
        }
        if (Ints.isInt(v)) {
            return DataType.INT64;
        }
        if (v instanceof NDArray x) {
            return x.getDataType();
        }
        if (v instanceof String) {
            throw invalidType(v);
        }
        if (v instanceof RangeValue r) {
            return r.isEmpty() ? DataType.FLOAT32 : DataType.INT64;
        }
        if (v instanceof PyList || v instanceof Tuple) {
            List<Object> items = Conversions.sequence(v, "");
            DataType t = null;
            for (Object item : items) {
                DataType i = infer(item);
                t = t == null ? i : Promotion.promote(t, i);
            }
            return t == null ? DataType.FLOAT32 : t;
        }
        throw new CnnException("Could not infer dtype of " + Values.typeName(v));
    }

    private static CnnException invalidType(Object v) {
        return new CnnException("tensor(): invalid data type '" + Values.typeName(v) + "'");
    }

    /** PyTorch's recursive_store: each row must have the length of the first at its depth. */
    private static void store(Object v, int dim, Shape shape, DataType type, double[] d, long[] l, int[] at) {
        if (dim == shape.dimension()) {
            if (d != null) {
                d[at[0]++] = asDouble(v);
            } else {
                l[at[0]++] = type == DataType.BOOLEAN ? (asBool(v) ? 1 : 0) : asInt(v, type);
            }
            return;
        }
        if (!isSequence(v)) {
            throw new CnnException("not a sequence: found " + Values.typeName(v) + " at dim " + dim
                    + " where a sequence of length " + shape.get(dim) + " was expected");
        }
        long n = length(v);
        if (n != shape.get(dim)) {
            throw new CnnException("expected sequence of length " + shape.get(dim) + " at dim " + dim + " (got " + n + ")");
        }
        for (long i = 0; i < n; i++) {
            store(item(v, i), dim + 1, shape, type, d, l, at);
        }
    }

    /** A float item: Python's float(v); a one-element tensor gives its value. */
    private static double asDouble(Object v) {
        if (v instanceof Double x) {
            return x;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (Ints.isInt(v)) {
            return Ints.toDouble(v);
        }
        if (v instanceof NDArray x) {
            if (x.size() != 1) {
                throw new CnnException("only one element tensors can be converted to Python scalars (this one has "
                        + x.size() + " elements)");
            }
            return asDouble(Conversions.item(x));
        }
        throw new CnnException("must be real number, not " + Values.typeName(v));
    }

    /** A bool item: a number is true when it is not zero (nan too). */
    private static boolean asBool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Double x) {
            return x != 0;
        }
        if (Ints.isInt(v)) {
            return Ints.big(v).signum() != 0;
        }
        if (v instanceof NDArray x) {
            return asBool(tensorIndex(x));
        }
        throw new CnnException("must be real number, not " + Values.typeName(v));
    }

    /** An int item in an int dtype, with PyTorch's overflow check (c10::checked_convert). */
    private static long asInt(Object v, DataType type) {
        if (v instanceof Double x) {
            double lowest = lowest(type);
            double max = max(type);
            if (Double.isNaN(x) || x < lowest || x > max) {
                throw overflow(type);
            }
            return (long) (double) x; // toward zero, as C++'s conversion
        }
        Object i = v instanceof NDArray x ? tensorIndex(x) : v;
        if (i instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (i instanceof BigInteger) {
            throw Ints.overflowInTensor(i);
        }
        if (!(i instanceof Long n)) {
            throw new CnnException("'" + Values.typeName(v) + "' object cannot be interpreted as an integer");
        }
        if (type == DataType.UINT8) {
            // PyTorch lets a negative int wrap around (-1 is 255), down to -255.
            if (n > 255 || (n < 0 && n < -255)) {
                throw overflow(type);
            }
            return n & 0xFF;
        }
        if (n < lowest(type) || n > max(type)) {
            throw overflow(type);
        }
        return n;
    }

    /** A tensor item stored as an int: Python's index(), which takes one int (or bool) element. */
    private static Object tensorIndex(NDArray x) {
        if (x.size() != 1 || x.getDataType().isFloating()) {
            throw new CnnException("only integer tensors of a single element can be converted to an index");
        }
        return Conversions.item(x);
    }

    private static CnnException overflow(DataType type) {
        return new CnnException("value cannot be converted to type " + Dtypes.name(type) + " without overflow");
    }

    private static double lowest(DataType type) {
        return switch (type) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case UINT8 -> 0;
            default -> Long.MIN_VALUE;
        };
    }

    private static double max(DataType type) {
        return switch (type) {
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            case UINT8 -> 255;
            default -> Long.MAX_VALUE;
        };
    }
}

package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.Ints;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reading and writing {@code x[...]} for tensors, lists, tuples and strings. Each subscript is
 * a Long (one position; negative counts from the end) or a {@link SliceSpec}.
 */
public final class Indexing {

    private Indexing() {}

    /** The value of {@code ...} in a subscript: all the dimensions not named by the others. */
    public static final Object ELLIPSIS = new Object() {
        @Override
        public String toString() {
            return "Ellipsis";
        }
    };

    /**
     * Whether the subscripts need PyTorch's advanced indexing: none (a new axis), ..., or an
     * index tensor or list (ints pick positions, bools are a mask).
     */
    private static boolean advanced(Object[] subs) {
        for (Object s : subs) {
            if (s == ELLIPSIS || s instanceof io.cnnscript.value.NoneValue || s instanceof NDArray || s instanceof PyList) {
                return true;
            }
        }
        return false;
    }

    /** The subscripts as DJL's index, which libtorch's advanced indexing (Tensor.index) takes as PyTorch does. */
    private static NDIndex advancedIndex(Runtime rt, Object[] subs) {
        StringBuilder text = new StringBuilder();
        List<Object> arrays = new ArrayList<>();
        boolean ellipsis = false;
        for (Object s : subs) {
            if (text.length() > 0) {
                text.append(',');
            }
            if (s == ELLIPSIS) {
                if (ellipsis) {
                    throw new CnnException("an index can only have a single ellipsis ('...')");
                }
                ellipsis = true;
                text.append("...");
            } else if (s instanceof io.cnnscript.value.NoneValue) {
                text.append("null");
            } else if (s instanceof SliceSpec slice) {
                if (slice.step() != null && slice.step() == 0) {
                    throw new CnnException("slice step cannot be zero");
                }
                if (slice.step() != null && slice.step() < 0) {
                    throw negativeStep();
                }
                text.append(slice.lo() == null ? "" : slice.lo()).append(':').append(slice.hi() == null ? "" : slice.hi())
                        .append(':').append(slice.step() == null ? 1 : slice.step());
            } else if (s instanceof NDArray t) {
                if (t.getDataType().isFloating()) {
                    throw new CnnException("tensors used as indices must be int or bool tensors, this one is "
                            + Dtypes.name(t.getDataType()));
                }
                text.append("{}");
                arrays.add(t);
            } else if (s instanceof PyList l) {
                NDArray t = l.size() == 0 ? JavaData.own(rt.scope().create(new long[0])) : Tensors.fromNested(rt, l);
                if (t.getDataType().isFloating()) {
                    // PyTorch's indexing_tensor_from_data: a list of numbers with a float is an int64 index, truncated
                    t = Tensors.fromNested(rt, truncated(l)).toType(DataType.INT64, false);
                }
                text.append("{}");
                arrays.add(t);
            } else {
                text.append(Conversions.toLong(s, "a tensor index"));
            }
        }
        return new NDIndex(text.toString(), arrays.toArray());
    }

    /** A list of numbers with each float truncated to an int, as PyTorch reads a list index. */
    private static PyList truncated(PyList l) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            Object x = l.get(i);
            out.add(x instanceof Double d ? (Object) (long) (double) d : x instanceof PyList inner ? truncated(inner) : x);
        }
        return new PyList(out);
    }

    /**
     * PyTorch 1.13 takes more than one {@code ...}: each stands for the dimensions the other
     * subscripts do not name, counted from where it is, so a second one is harmless at the end
     * ({@code X[..., 0, ...]} is {@code X[..., 0]}) and anything after it is out of range. Gives
     * the subscripts with one ellipsis, or throws PyTorch's IndexError.
     */
    private static Object[] ellipses(Object[] subs, int rank) {
        int count = 0;
        int specified = 0;
        for (Object s : subs) {
            if (s == ELLIPSIS) {
                count++;
            } else if (s instanceof NDArray t && (t.getDataType() == ai.djl.ndarray.types.DataType.BOOLEAN
                    || t.getDataType() == ai.djl.ndarray.types.DataType.UINT8)) {
                specified += t.getShape().dimension();
            } else if (!(s instanceof io.cnnscript.value.NoneValue)) {
                specified++;
            }
        }
        if (count < 2) {
            return subs;
        }
        int skipped = rank - specified;
        List<Object> out = new ArrayList<>();
        int seen = 0;
        for (Object s : subs) {
            if (s == ELLIPSIS) {
                seen++;
                if (seen == 1) {
                    out.add(s);
                }
            } else {
                if (seen >= 2 && skipped > 0) {
                    throw new CnnException("too many indices: after a second '...' no dimension is left for "
                            + (s instanceof SliceSpec ? "a slice" : "an index") + " (PyTorch 1.13: index out of bounds for a dimension of size 0)");
                }
                out.add(s);
            }
        }
        return out.toArray();
    }

    /** PyTorch's ValueError for x[::-1] on a tensor (lists, tuples and strings reverse, as in Python). */
    private static CnnException negativeStep() {
        return new CnnException("step must be greater than zero: a tensor slice cannot step backwards, as in PyTorch; "
                + "X.flip(d) reverses dimension d");
    }

    private static RuntimeException indexError(RuntimeException e) {
        return new CnnException(Errors.firstLine(e));
    }

    public static Object get(Runtime rt, Object target, Object[] subs) {
        if (target instanceof NDArray a) {
            return getTensor(rt, a, subs);
        }
        if (target instanceof PyList || target instanceof Tuple || target instanceof String) {
            if (subs.length != 1) {
                throw new CnnException(Values.aTypeName(target) + " takes one index, got " + subs.length);
            }
            return getSequence(target, subs[0]);
        }
        if (target instanceof RangeValue r) {
            if (subs.length != 1) {
                throw new CnnException("a range takes one index, got " + subs.length);
            }
            if (subs[0] instanceof SliceSpec slice) {
                return r.slice(slice);
            }
            if (subs[0] instanceof Boolean b) {
                return r.get(b ? 1L : 0L); // a bool is an int, as in Python
            }
            if (!Ints.isInt(subs[0])) {
                throw new CnnException("range indices must be ints or slices, not " + Values.typeName(subs[0]));
            }
            return r.get(subs[0]);
        }
        if (target instanceof io.cnnscript.value.HasMembers h) {
            Object item = h.callMethod(rt, "__getitem__", subs, new String[0], new Object[0]);
            if (item != null) {
                return item;
            }
        }
        throw new CnnException("cannot index " + Values.aTypeName(target));
    }

    private static Object getSequence(Object target, Object sub) {
        // A string is a sequence of characters (code points), as in Python: an emoji is one.
        int[] chars = target instanceof String s ? s.codePoints().toArray() : null;
        int length = chars != null ? chars.length : Conversions.sequence(target, "").size();
        if (sub instanceof SliceSpec slice) {
            long[] r = slice.resolve(length);
            long n = SliceSpec.count(r);
            if (chars != null) {
                StringBuilder sb = new StringBuilder();
                for (long i = 0, at = r[0]; i < n; i++, at += r[2]) {
                    sb.appendCodePoint(chars[(int) at]);
                }
                return sb.toString();
            }
            List<Object> items = Conversions.sequence(target, "");
            List<Object> out = new ArrayList<>((int) n);
            for (long i = 0, at = r[0]; i < n; i++, at += r[2]) {
                out.add(items.get((int) at));
            }
            return target instanceof Tuple ? new Tuple(out.toArray()) : new PyList(out);
        }
        int i = position(sub, length, Values.typeName(target));
        if (chars != null) {
            return Character.toString(chars[i]);
        }
        return Conversions.sequence(target, "").get(i);
    }

    private static int position(Object sub, long length, String what) {
        long i = Conversions.toLong(sub, "an index");
        long at = i < 0 ? i + length : i;
        if (at < 0 || at >= length) {
            throw new CnnException("index " + i + " is out of range for a " + what + " of length " + length);
        }
        return (int) at;
    }

    /** Builds DJL's index, checking each position against the tensor's shape. */
    private static NDIndex tensorIndex(NDArray a, Object[] subs) {
        Shape shape = a.getShape();
        if (subs.length > shape.dimension()) {
            throw new CnnException("too many indices: the tensor has " + shape.dimension() + " dimension"
                    + (shape.dimension() == 1 ? "" : "s") + " (shape " + TensorFormat.shape(shape) + "), got "
                    + subs.length + " indices");
        }
        NDIndex index = new NDIndex();
        for (int d = 0; d < subs.length; d++) {
            long size = shape.get(d);
            Object sub = subs[d];
            if (sub instanceof SliceSpec slice) {
                if (slice.step() != null && slice.step() < 0) {
                    throw negativeStep();
                }
                long[] r = slice.resolve(size);
                long n = SliceSpec.count(r);
                index.addSliceDim(r[0], n == 0 ? r[0] : r[1], r[2]);
            } else {
                long i = Conversions.toLong(sub, "a tensor index");
                long at = i < 0 ? i + size : i;
                if (at < 0 || at >= size) {
                    throw new CnnException("index " + i + " is out of range for dimension " + d + " of size " + size
                            + " (shape " + TensorFormat.shape(shape) + ")");
                }
                index.addIndices(at);
            }
        }
        return index;
    }

    /**
     * Positions and forward slices as libtorch's basic indexing takes them: per dimension a
     * start, stop and step, plus which dimensions an int index removes. Null when a subscript
     * needs the general way (a position out of range, a backward step: their errors).
     */
    private record Basic(long[] min, long[] max, long[] step, boolean squeezes, long[] result) {}

    private static Basic basic(NDArray a, Object[] subs) {
        Shape shape = a.getShape();
        int n = shape.dimension();
        if (subs.length > n) {
            return null;
        }
        long[] min = new long[n];
        long[] max = new long[n];
        long[] step = new long[n];
        long[] result = new long[n];
        boolean squeezes = false;
        int r = 0;
        for (int d = 0; d < n; d++) {
            long size = shape.get(d);
            Object sub = d < subs.length ? subs[d] : null;
            if (sub == null) {
                min[d] = 0;
                max[d] = size;
                step[d] = 1;
                result[r++] = size;
            } else if (sub instanceof Long i) {
                long at = i < 0 ? i + size : i;
                if (at < 0 || at >= size) {
                    return null;
                }
                min[d] = at;
                max[d] = at + 1;
                step[d] = 1;
                squeezes = true;
            } else if (sub instanceof SliceSpec slice) {
                long[] sr = slice.resolve(size);
                if (sr[2] < 0) {
                    return null;
                }
                long count = SliceSpec.count(sr);
                min[d] = sr[0];
                max[d] = count == 0 ? sr[0] : sr[1];
                step[d] = sr[2];
                result[r++] = count;
            } else {
                return null;
            }
        }
        return new Basic(min, max, step, squeezes, squeezes ? Arrays.copyOf(result, r) : result);
    }

    /** As in PyTorch, true or false in a tensor's subscript is a 0-d bool mask (X[true] adds a dimension), not a position. */
    private static Object[] boolMasks(Runtime rt, Object[] subs) {
        Object[] out = subs;
        for (int i = 0; i < subs.length; i++) {
            if (subs[i] instanceof Boolean t) {
                if (out == subs) {
                    out = subs.clone();
                }
                out[i] = JavaData.own(rt.scope().create(t.booleanValue()));
            }
        }
        return out;
    }

    private static NDArray getTensor(Runtime rt, NDArray a, Object[] subs) {
        subs = boolMasks(rt, subs);
        if (advanced(subs) && Torch.supports(a)) {
            try {
                return Torch.indexAdv(a, advancedIndex(rt, ellipses(subs, a.getShape().dimension())), rt.scope());
            } catch (ai.djl.engine.EngineException | IllegalArgumentException e) {
                throw indexError(e);
            }
        }
        Basic b = Torch.supports(a) ? basic(a, subs) : null;
        if (b != null) {
            NDArray sliced = Torch.index(a, b.min, b.max, b.step, rt.scope());
            return b.squeezes ? sliced.reshape(new Shape(b.result)) : sliced;
        }
        return a.get(tensorIndex(a, subs));
    }

    /**
     * Stores value at target[subs]. Into a tensor, the value may be a Float: a result the
     * interpreter computed on the Java side, written without making a tensor where it can be.
     */
    public static void set(Runtime rt, Object target, Object[] subs, Object value) {
        if (target instanceof NDArray a) {
            setTensor(rt, a, subs, value);
            return;
        }
        if (target instanceof PyList l) {
            if (subs.length != 1 || subs[0] instanceof SliceSpec) {
                throw new CnnException("a list item is assigned with one index, as in xs[i] = v");
            }
            rt.keep(value);
            l.set(position(subs[0], l.size(), "list"), value);
            return;
        }
        throw new CnnException("cannot assign into " + Values.aTypeName(target)
                + (target instanceof Tuple || target instanceof String ? " (it cannot change)" : ""));
    }

    private static void setTensor(Runtime rt, NDArray a, Object[] subs, Object value) {
        if (HostTensors.setElement(rt, a, subs, value)) {
            return;
        }
        // PyTorch's valueToTensor, first of all: a tensor stays as it is, a number becomes a 0-d tensor of a's dtype.
        NDArray v = value instanceof NDArray t ? t
                : value instanceof Float x ? JavaData.own(rt.scope().create((float) x)) : scalarOf(rt, a, value);
        if (subs.length == 1 && subs[0] instanceof Boolean b) {
            // X[false] = v does nothing; X[true] = v writes X[none] (basic indexing), as PyTorch's set_item
            if (!b) {
                return;
            }
            subs = new Object[] {io.cnnscript.value.NoneValue.NONE};
        }
        subs = intScalars(subs);
        // true or false among other subscripts is an int64 index tensor in PyTorch's set_item, not a mask
        boolean tensorIndexed = tensorIndexed(subs);
        boolean singleMask = singleMask(subs);
        subs = boolMasks(rt, subs);
        // A write into a part of a tensor is an in-place change, recorded by autograd as in PyTorch.
        Tensors.refuseLeaf(a, true);
        v = withoutLeadingOnes(v);
        if (advanced(subs) && Torch.supports(a)) {
            Object[] index = ellipses(subs, a.getShape().dimension());
            if (!tensorIndexed) {
                // none and ... alone are basic indexing: the value is copied in, cast as copy_ casts
                v = v.getDataType() == a.getDataType() ? v : v.toType(a.getDataType(), false);
            } else if (v.size() == 1 && singleMask) {
                // index_put_ with one mask and a one-element value is masked_fill_(mask, value.item())
                v = scalarOf(rt, a, item(v));
            }
            // otherwise index_put_ itself requires the value in a's dtype, as in PyTorch
            try {
                Torch.indexAdvPut(a, advancedIndex(rt, index), v);
            } catch (ai.djl.engine.EngineException | IllegalArgumentException e) {
                throw indexError(e);
            }
            return;
        }
        Basic fast = Torch.supports(a) ? basic(a, subs) : null;
        if (fast != null) {
            // The common Y[i, j] = x: write straight through libtorch's basic indexing (copy_),
            // which broadcasts and casts the value; anything it refuses goes the general way for a clear message.
            try {
                Torch.indexSet(a, v, fast.min, fast.max, fast.step);
                return;
            } catch (ai.djl.engine.EngineException e) {
                // fall through
            }
        }
        NDIndex index = tensorIndex(a, subs);
        try {
            a.set(index, v.getDataType() == a.getDataType() ? v : v.toType(a.getDataType(), false));
        } catch (ai.djl.engine.EngineException | IllegalArgumentException | IllegalStateException e) {
            Shape target;
            try (NDArray view = a.get(index)) {
                target = view.getShape();
            }
            String got = value instanceof NDArray ? "a tensor of shape " + TensorFormat.shape(v.getShape())
                    : Values.typeName(value);
            throw new CnnException("cannot assign " + got + " to a part of shape " + TensorFormat.shape(target)
                    + ": " + Errors.firstLine(e).replaceAll("CPU(\\w+)Type\\{", "torch.$1Tensor{"));
        }
    }

    /** As in PyTorch, a 0-d int tensor in a subscript is a position (basic indexing), not an index tensor. */
    private static Object[] intScalars(Object[] subs) {
        Object[] out = subs;
        for (int i = 0; i < subs.length; i++) {
            if (subs[i] instanceof NDArray t && t.getShape().dimension() == 0 && !t.getDataType().isFloating()
                    && t.getDataType() != DataType.BOOLEAN && t.getDataType() != DataType.UINT8) {
                if (out == subs) {
                    out = subs.clone();
                }
                out[i] = t.getLong();
            }
        }
        return out;
    }

    /** Whether a subscript is a tensor or a list: PyTorch's advanced indexing (index_put_). */
    private static boolean tensorIndexed(Object[] subs) {
        for (Object s : subs) {
            if (s instanceof NDArray || s instanceof PyList || s instanceof Boolean) {
                return true;
            }
        }
        return false;
    }

    /** Whether the only tensor subscript is one bool (or uint8) mask: index_put_'s masked_fill_ case. */
    private static boolean singleMask(Object[] subs) {
        int tensors = 0;
        boolean mask = false;
        for (Object s : subs) {
            if (s instanceof NDArray t) {
                tensors++;
                mask = t.getDataType() == DataType.BOOLEAN || t.getDataType() == DataType.UINT8;
            } else if (s instanceof PyList l) {
                tensors++;
                mask = l.size() > 0 && allBools(l);
            } else if (s instanceof Boolean) {
                tensors++;
                mask = false;
            }
        }
        return tensors == 1 && mask;
    }

    private static boolean allBools(PyList l) {
        for (int i = 0; i < l.size(); i++) {
            Object x = l.get(i);
            if (!(x instanceof Boolean || x instanceof PyList inner && inner.size() > 0 && allBools(inner))) {
                return false;
            }
        }
        return true;
    }

    /** PyTorch's slicePrefix1sSize: leading dimensions of size 1 of a value written into a part are dropped. */
    private static NDArray withoutLeadingOnes(NDArray v) {
        long[] shape = v.getShape().getShape();
        int drop = 0;
        while (drop < shape.length && shape[drop] == 1) {
            drop++;
        }
        return drop == 0 ? v : v.reshape(new Shape(Arrays.copyOfRange(shape, drop, shape.length)));
    }

    /** value.item() of a one-element tensor, as the Python number PyTorch's Scalar holds. */
    private static Object item(NDArray v) {
        NDArray one = v.reshape(new Shape());
        DataType t = v.getDataType();
        if (t == DataType.BOOLEAN) {
            return one.getBoolean();
        }
        if (t.isFloating()) {
            return one.toType(DataType.FLOAT64, false).getDouble();
        }
        return one.toType(DataType.INT64, false).getLong();
    }

    /**
     * A Python number as a 0-d tensor of a's dtype, converted as PyTorch converts a Scalar
     * (c10::checked_convert): a value out of the dtype's range is refused, except into bool (any
     * nonzero is true) and a negative int into uint8 down to -255 (two's complement); a float
     * into an int type is truncated; inf and nan go into float types only.
     */
    static NDArray scalarOf(Runtime rt, NDArray a, Object value) {
        DataType t = a.getDataType();
        if (value instanceof BigInteger) {
            throw Ints.overflowInTensor(value);
        }
        if (!(value instanceof Long || value instanceof Double || value instanceof Boolean)) {
            throw new CnnException("can't assign " + Values.aTypeName(value) + " to a torch." + Division.torchName(t) + "Tensor");
        }
        if (t == DataType.BOOLEAN) {
            boolean b = value instanceof Boolean x ? x : value instanceof Long l ? l != 0 : (Double) value != 0;
            return JavaData.own(rt.scope().create(b));
        }
        if (value instanceof Double d) {
            boolean finite = !Double.isNaN(d) && !Double.isInfinite(d);
            if (t == DataType.FLOAT64) {
                return JavaData.own(rt.scope().create(d.doubleValue()));
            }
            if (t.isFloating()) {
                double max = t == DataType.FLOAT16 ? 65504.0 : t == DataType.BFLOAT16 ? 3.3895313892515355e38 : Float.MAX_VALUE;
                if (finite && (d > max || d < -max)) {
                    throw overflow(t);
                }
                NDArray f = JavaData.own(rt.scope().create(d.floatValue()));
                return t == DataType.FLOAT32 ? f : f.toType(t, false);
            }
            double[] range = intRange(t);
            if (!finite || d < range[0] || d > range[1]) {
                throw overflow(t);
            }
            return JavaData.own(rt.scope().create((long) (double) d)).toType(t, false);
        }
        long n = value instanceof Boolean b ? (b ? 1 : 0) : (Long) value;
        if (t == DataType.INT64) {
            return JavaData.own(rt.scope().create(n));
        }
        if (!t.isFloating()) {
            double[] range = intRange(t);
            boolean over = t == DataType.UINT8 ? n > 255 || n < -255 : n < range[0] || n > range[1];
            if (over) {
                throw overflow(t);
            }
        }
        return JavaData.own(rt.scope().create(n)).toType(t, false);
    }

    /** The lowest and highest value of an int dtype. */
    private static double[] intRange(DataType t) {
        switch (t) {
            case UINT8:
                return new double[] {0, 255};
            case INT8:
                return new double[] {-128, 127};
            case INT16:
                return new double[] {-32768, 32767};
            case INT32:
                return new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            default:
                return new double[] {Long.MIN_VALUE, Long.MAX_VALUE};
        }
    }

    /** c10's report_overflow, with the C++ name of the type. */
    private static CnnException overflow(DataType t) {
        String name;
        switch (t) {
            case FLOAT32: name = "float"; break;
            case FLOAT64: name = "double"; break;
            case FLOAT16: name = "c10::Half"; break;
            case BFLOAT16: name = "c10::BFloat16"; break;
            case UINT8: name = "uint8_t"; break;
            case INT8: name = "int8_t"; break;
            case INT16: name = "int16_t"; break;
            case INT32: name = "int"; break;
            default: name = "int64_t";
        }
        return new CnnException("value cannot be converted to type " + name + " without overflow");
    }

    /**
     * Whether {@link #get} gives a view of the tensor for these subscripts (positions, forward
     * slices, {@code none} and {@code ...}: libtorch's basic indexing), so that changing the part
     * in place changes the tensor; false when it gives a copy (an index tensor or list, a bool).
     */
    public static boolean readsView(Object target, Object[] subs) {
        if (!(target instanceof NDArray a && Torch.supports(a))) {
            return false;
        }
        if (advanced(subs)) {
            for (Object s : subs) {
                if (s instanceof NDArray || s instanceof PyList || s instanceof Boolean) {
                    return false;
                }
            }
            return true;
        }
        return basic(a, subs) != null;
    }
}

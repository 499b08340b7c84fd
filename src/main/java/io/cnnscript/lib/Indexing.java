package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.Ints;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
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
                NDArray t = l.size() == 0 ? rt.scope().create(new long[0]) : Tensors.fromNested(rt, l);
                if (t.getDataType().isFloating()) {
                    throw new CnnException("a list used as an index must hold ints or bools");
                }
                text.append("{}");
                arrays.add(t);
            } else {
                text.append(Conversions.toLong(s, "a tensor index"));
            }
        }
        return new NDIndex(text.toString(), arrays.toArray());
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
                out[i] = rt.scope().create(t.booleanValue());
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
        subs = boolMasks(rt, subs);
        // A write into a part of a tensor is an in-place change, recorded by autograd as in PyTorch.
        Tensors.refuseLeaf(a, true);
        if (value instanceof Float x) {
            value = rt.scope().create((float) x);
        }
        if (advanced(subs) && Torch.supports(a)) {
            NDArray v;
            if (value instanceof NDArray t) {
                v = t.getDataType() == a.getDataType() ? t : t.toType(a.getDataType(), false);
            } else if (Values.isNumber(value)) {
                Object n = value instanceof Boolean b ? (Object) (b ? 1L : 0L) : value;
                v = rt.scope().create(Operators.scalarFor(a, n)).toType(a.getDataType(), false);
            } else {
                throw new CnnException("cannot store " + Values.aTypeName(value) + " in a tensor");
            }
            try {
                Torch.indexAdvPut(a, advancedIndex(rt, ellipses(subs, a.getShape().dimension())), v);
            } catch (ai.djl.engine.EngineException | IllegalArgumentException e) {
                throw indexError(e);
            }
            return;
        }
        Basic fast = Torch.supports(a) ? basic(a, subs) : null;
        if (fast != null && (value instanceof Long || value instanceof Double || value instanceof NDArray)) {
            // The common Y[i, j] = x: write straight through libtorch's basic indexing, which
            // broadcasts the value; anything it refuses goes the general way for a clear message.
            NDArray v = value instanceof NDArray t ? t
                    : value instanceof Long l ? rt.scope().create(l) : rt.scope().create(((Double) value).floatValue());
            try {
                Torch.indexSet(a, v, fast.min, fast.max, fast.step);
                return;
            } catch (ai.djl.engine.EngineException e) {
                // fall through
            }
        }
        NDIndex index = tensorIndex(a, subs);
        try {
            if (value instanceof NDArray v) {
                a.set(index, v);
            } else if (Values.isNumber(value)) {
                Object n = value instanceof Boolean b ? (Object) (b ? 1L : 0L) : value;
                a.set(index, Operators.scalarFor(a, n));
            } else {
                throw new CnnException("cannot store " + Values.aTypeName(value) + " in a tensor");
            }
        } catch (ai.djl.engine.EngineException | IllegalArgumentException | IllegalStateException e) {
            Shape target;
            try (NDArray view = a.get(index)) {
                target = view.getShape();
            }
            String got = value instanceof NDArray v ? "a tensor of shape " + TensorFormat.shape(v.getShape())
                    : Values.typeName(value);
            throw new CnnException("cannot assign " + got + " to a part of shape " + TensorFormat.shape(target)
                    + ": " + Errors.firstLine(e));
        }
    }

    /**
     * Whether {@link #get} gives a view of the tensor for these subscripts (positions and forward
     * slices), so that changing the part in place changes the tensor; false when it gives a copy.
     */
    public static boolean readsView(Object target, Object[] subs) {
        return target instanceof NDArray a && Torch.supports(a) && basic(a, subs) != null;
    }
}

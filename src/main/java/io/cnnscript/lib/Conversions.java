package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Values;
import java.util.List;

/** Checked conversions from runtime values to what Java code needs, with messages naming the argument. */
public final class Conversions {

    private Conversions() {}

    public static NDArray tensor(Object v, String what) {
        if (v instanceof NDArray a) {
            return a;
        }
        throw new CnnException(what + " must be a tensor, not " + Values.typeName(v));
    }

    public static long toLong(Object v, String what) {
        if (v instanceof Long n) {
            return n;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof java.math.BigInteger) {
            return io.cnnscript.value.Ints.toLong(v, what);
        }
        if (v instanceof NDArray a && a.size() == 1 && !a.getDataType().isFloating()) {
            return io.cnnscript.value.TensorData.longs(a)[0];
        }
        throw new CnnException(what + " must be an int, not " + Values.typeName(v)
                + (v instanceof Double d ? " (" + Values.repr(d) + ")" : ""));
    }

    public static int toInt(Object v, String what) {
        long n = toLong(v, what);
        if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
            throw new CnnException(what + " is out of range: " + n);
        }
        return (int) n;
    }

    public static double toDouble(Object v, String what) {
        Double d = Values.asDouble(v);
        if (d != null) {
            return d;
        }
        throw new CnnException(what + " must be a number, not " + Values.typeName(v)
                + (v instanceof NDArray a ? " of shape " + TensorFormat.shape(a.getShape()) : ""));
    }

    public static String string(Object v, String what) {
        if (v instanceof String s) {
            return s;
        }
        throw new CnnException(what + " must be a string, not " + Values.typeName(v));
    }

    public static boolean isNone(Object v) {
        return v == null || v == NoneValue.NONE;
    }

    /** The items of a list or tuple. */
    public static List<Object> sequence(Object v, String what) {
        if (v instanceof Tuple t) {
            return t.asList();
        }
        if (v instanceof PyList l) {
            return l.items();
        }
        throw new CnnException(what + " must be a list or tuple, not " + Values.typeName(v));
    }

    /**
     * Sizes given as separate ints ({@code zeros(2, 3)}) or as one tuple or list
     * ({@code zeros((2, 3))}, {@code zeros(X.shape)}).
     */
    public static Shape sizes(Tuple args, String fn) {
        return sizes(args, fn, false);
    }

    /** As {@link #sizes(Tuple, String)}; with wildcard true one size may be -1 (reshape). */
    public static Shape sizes(Tuple args, String fn, boolean wildcard) {
        List<Object> items = args.asList();
        if (items.size() == 1 && (items.get(0) instanceof Tuple || items.get(0) instanceof PyList)) {
            items = sequence(items.get(0), "the size");
        }
        long[] dims = new long[items.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = toLong(items.get(i), fn + "() size " + (i + 1));
            if (dims[i] < 0 && !(wildcard && dims[i] == -1)) {
                throw new CnnException(fn + "() sizes cannot be negative, got " + dims[i]);
            }
        }
        return new Shape(dims);
    }

    /** An int or an (h, w) tuple, as kernel, padding and stride take. */
    public static Shape pair(Object v, String what) {
        if (v instanceof Long n) {
            return new Shape(n, n);
        }
        if (v instanceof Tuple || v instanceof PyList) {
            List<Object> items = sequence(v, what);
            if (items.size() != 2) {
                throw new CnnException(what + " must be an int or a pair (h, w), got " + Values.repr(v));
            }
            return new Shape(toLong(items.get(0), what), toLong(items.get(1), what));
        }
        throw new CnnException(what + " must be an int or a pair (h, w), not " + Values.typeName(v));
    }

    /** The Java-side value of a one-element tensor, as .item() gives it. */
    public static Object item(NDArray a) {
        if (a.size() != 1) {
            throw new CnnException("item() needs a tensor with one element, this one has " + a.size()
                    + " (shape " + TensorFormat.shape(a.getShape()) + ")");
        }
        DataType t = a.getDataType();
        if (t == DataType.BOOLEAN) {
            return a.toBooleanArray()[0];
        }
        if (t.isFloating()) {
            return io.cnnscript.value.TensorData.scalar(a);
        }
        return io.cnnscript.value.TensorData.longs(a)[0];
    }
}

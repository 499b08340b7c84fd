package io.cnnscript.value;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.cnnscript.error.CnnException;
import java.util.List;

/** Names, text forms, truth and equality of runtime values. */
public final class Values {

    private Values() {}

    /** The type name a user sees in messages and from type(x). */
    public static String typeName(Object v) {
        if (v == null || v == NoneValue.NONE) {
            return "none";
        }
        if (v instanceof Long || v instanceof java.math.BigInteger) {
            return "int";
        }
        if (v instanceof Double) {
            return "float";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof String) {
            return "string";
        }
        if (v instanceof Tuple) {
            return "tuple";
        }
        if (v instanceof PyList) {
            return "list";
        }
        if (v instanceof NDArray) {
            return "tensor";
        }
        if (v instanceof Named n) {
            return n.typeName();
        }
        if (v instanceof Callable) {
            return "function";
        }
        return v.getClass().getSimpleName();
    }

    /** The type name with "a" or "an" before it, for messages: "an int", "a tensor". */
    public static String aTypeName(Object v) {
        String t = typeName(v);
        return ("aeiou".indexOf(t.charAt(0)) >= 0 ? "an " : "a ") + t;
    }

    /** Values that name their own type (layers, optimizers, datasets, ...). */
    public interface Named {
        String typeName();
    }

    /** The text print() shows. */
    public static String str(Object v) {
        if (v instanceof String s) {
            return s;
        }
        return repr(v);
    }

    /**
     * The most items a list, or characters a string, may have: growth past it is an error, not
     * an OutOfMemoryError.
     */
    public static final long MAX_ITEMS = 10_000_000L;

    /** How deep lists and tuples may nest for ==, repr and conversions. */
    public static final int MAX_NESTING = 1000;

    /** Refuses a list or string about to grow past {@link #MAX_ITEMS}. */
    public static void checkSize(long size, String what) {
        if (size > MAX_ITEMS || size < 0) {
            throw new CnnException(what + " would have " + String.format(java.util.Locale.ROOT, "%,d",
                    size) + (what.contains("string") ? " characters" : " items") + "; the limit is " + String.format(java.util.Locale.ROOT, "%,d", MAX_ITEMS));
        }
    }

    static CnnException tooDeep(String what) {
        return new CnnException("too deep: " + what + " lists nested more than " + MAX_NESTING
                + " levels");
    }

    /**
     * The text shown for a value inside a list or at the REPL (strings quoted). A list that
     * contains itself shows as {@code [[...]]}, as in Python.
     */
    public static String repr(Object v) {
        if (v instanceof PyList || v instanceof Tuple) {
            StringBuilder sb = new StringBuilder();
            reprInto(sb, v, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()), 0);
            return sb.toString();
        }
        return reprLeaf(v);
    }

    private static void reprInto(StringBuilder sb, Object v, java.util.Set<Object> open, int depth) {
        if (!(v instanceof PyList) && !(v instanceof Tuple)) {
            sb.append(reprLeaf(v));
            return;
        }
        if (depth > MAX_NESTING) {
            throw tooDeep("showing");
        }
        if (sb.length() > MAX_ITEMS) {
            throw new CnnException("the text of this value would pass "
                    + String.format(java.util.Locale.ROOT, "%,d", MAX_ITEMS) + " characters");
        }
        if (v instanceof PyList l) {
            if (!open.add(l)) {
                sb.append("[...]");
                return;
            }
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                reprInto(sb, l.get(i), open, depth + 1);
            }
            sb.append(']');
            open.remove(l);
            return;
        }
        Tuple t = (Tuple) v;
        sb.append('(');
        for (int i = 0; i < t.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            reprInto(sb, t.get(i), open, depth + 1);
        }
        sb.append(t.size() == 1 ? ",)" : ")");
    }

    private static String reprLeaf(Object v) {
        if (v == null || v == NoneValue.NONE) {
            return "none";
        }
        if (v instanceof Long || v instanceof Boolean || v instanceof java.math.BigInteger) {
            return v.toString();
        }
        if (v instanceof Double d) {
            return PyFormat.floatRepr(d);
        }
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof NDArray a) {
            return TensorFormat.repr(a, gradSuffix(a));
        }
        return v.toString();
    }

    /** PyTorch's suffix for tensors in the autograd graph. */
    private static String gradSuffix(NDArray a) {
        if (!a.getDataType().isFloating() || !a.hasGradient()) {
            return null;
        }
        return "requires_grad=True";
    }

    private static String quote(String s) {
        char q = s.contains("'") && !s.contains("\"") ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c == q) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        return sb.append(q).toString();
    }

    /** A number, a boolean or a one-element tensor as a double; null for anything else. */
    public static Double asDouble(Object v) {
        if (v instanceof Long n) {
            return (double) n;
        }
        if (v instanceof Double d) {
            return d;
        }
        if (v instanceof java.math.BigInteger) {
            return Ints.toDouble(v);
        }
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof NDArray a && a.size() == 1) {
            return TensorData.scalar(a);
        }
        return null;
    }

    /** Truth as Python sees it; a tensor is true only when it has one element that is non-zero. */
    public static boolean truthy(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v == null || v == NoneValue.NONE) {
            return false;
        }
        if (v instanceof Long n) {
            return n != 0;
        }
        if (v instanceof java.math.BigInteger n) {
            return n.signum() != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Tuple t) {
            return t.size() > 0;
        }
        if (v instanceof PyList l) {
            return l.size() > 0;
        }
        if (v instanceof NDArray a) {
            if (a.size() != 1) {
                throw new CnnException("the truth of a tensor with " + a.size()
                        + " elements is ambiguous; use .any() or .all(), or compare a single element");
            }
            if (a.getDataType() == DataType.BOOLEAN) {
                return a.toBooleanArray()[0];
            }
            return io.cnnscript.value.TensorData.scalar(a) != 0;
        }
        if (v instanceof Sized s) {
            return !s.isEmpty();
        }
        return true;
    }

    /** Values, other than lists, tuples and strings, whose truth is that they hold something (a range). */
    public interface Sized {
        boolean isEmpty();
    }

    /** Equality for == on non-tensor values (numbers compare across int and float). */
    public static boolean equal(Object a, Object b) {
        return equal(a, b, 0);
    }

    private static boolean equal(Object a, Object b, int depth) {
        if (a instanceof PyList x && b instanceof PyList y) {
            return sequenceEquals(x.items(), y.items(), depth + 1);
        }
        if (a instanceof Tuple x && b instanceof Tuple y) {
            return sequenceEquals(x.asList(), y.asList(), depth + 1);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return x.longValue() == y.longValue();
        }
        if (isNumber(a) && isNumber(b)) {
            Object x = a instanceof Boolean t ? (Object) (t ? 1L : 0L) : a;
            Object y = b instanceof Boolean t ? (Object) (t ? 1L : 0L) : b;
            if (x instanceof Double d && y instanceof Double e) {
                return d.doubleValue() == e.doubleValue();
            }
            if (x instanceof Double d) {
                return !d.isNaN() && Ints.compare(y, d) == 0;
            }
            if (y instanceof Double e) {
                return !e.isNaN() && Ints.compare(x, e) == 0;
            }
            return Ints.big(x).equals(Ints.big(y));
        }
        if (a == null || a == NoneValue.NONE) {
            return b == null || b == NoneValue.NONE;
        }
        return a.equals(b);
    }

    static boolean sequenceEquals(List<Object> a, List<Object> b) {
        return sequenceEquals(a, b, 1);
    }

    /** Items compare by identity first, as Python's lists do: a list that holds itself equals itself. */
    private static boolean sequenceEquals(List<Object> a, List<Object> b, int depth) {
        if (a == b) {
            return true;
        }
        if (depth > MAX_NESTING) {
            throw tooDeep("comparing");
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i) && !equal(a.get(i), b.get(i), depth)) {
                return false;
            }
        }
        return true;
    }

    /** An int (Long or BigInteger), float or bool. */
    public static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof java.math.BigInteger;
    }
}

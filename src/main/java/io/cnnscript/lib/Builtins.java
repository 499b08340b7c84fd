package io.cnnscript.lib;

import static io.cnnscript.lib.Conversions.isNone;
import static io.cnnscript.lib.Conversions.sequence;
import static io.cnnscript.lib.Conversions.toLong;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.error.CnnExit;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Ints;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;

/** The general built-ins: printing, numbers, sequences. */
final class Builtins {

    private Builtins() {}

    /** What help(x) prints, from the library's documented built-ins. */
    static String help(Library library, Object x) {
        if (isNone(x)) {
            return "help(f) describes a built-in or one of your functions; in the REPL, :help lists the commands "
                    + "and every built-in\n";
        }
        String name = x instanceof String s ? s.strip() : null;
        if (x instanceof io.cnnscript.value.Callable c) {
            if (!(x instanceof Builtin)) {
                String own = c.help();
                if (own != null) {
                    return own;
                }
            }
            name = c.name();
        }
        if (name == null) {
            return "help() describes functions; this is " + Values.aTypeName(x) + "\n";
        }
        StringBuilder sb = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (Builtin b : library.documented()) {
            names.add(b.name());
            if (b.name().equals(name)) {
                sb.append(sb.length() > 0 ? "\n" : "").append(HelpText.describe(b));
            }
        }
        return sb.length() > 0 ? sb.toString()
                : "no built-in named '" + name + "'" + Suggest.hint(name, names) + " (:help lists them all)\n";
    }

    /** The general built-ins; help() describes those of the library it ends up in. */
    static List<Builtin> all(java.util.function.Supplier<Library> library) {
        List<Builtin> b = new ArrayList<>();
        String f = "general";
        b.add(new Builtin(f, "print(*values, sep=' ', end='\\n')",
                "Prints the values separated by sep (a space). Tensors print as PyTorch prints them.", (rt, a) -> {
                    Tuple values = a.rest("values");
                    String sep = a.string("sep");
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < values.size(); i++) {
                        if (i > 0) {
                            sb.append(sep);
                        }
                        sb.append(Values.str(values.get(i)));
                    }
                    String end = a.string("end").replace("\\n", "\n");
                    rt.out().print(sb.append(end));
                    rt.out().flush();
                    return NoneValue.NONE;
                }));
        b.add(new Builtin(f, "help(obj=none)",
                "Describes a built-in or one of your functions or layers (help(corr2d), help(\"sum\")); the REPL's "
                        + ":help lists the commands and every built-in.", (rt, a) -> {
                    rt.out().print(help(library.get(), a.get("obj")));
                    rt.out().flush();
                    return NoneValue.NONE;
                }));
        b.add(new Builtin(f, "exit(status=0)",
                "Ends the script (the REPL: the session) there; the cnn command exits with status.",
                (rt, a) -> {
                    throw new CnnExit(a.toInt("status", "exit() status"));
                }));
        b.add(new Builtin(f, "quit(status=0)", "The same as exit(status).", (rt, a) -> {
            throw new CnnExit(a.toInt("status", "quit() status"));
        }));
        b.add(new Builtin(f, "range(*bounds)",
                "range(stop), range(start, stop) or range(start, stop, step): the ints from start up to, "
                        + "not including, stop.", (rt, a) -> {
                    List<Object> r = a.rest("bounds").asList();
                    if (r.isEmpty() || r.size() > 3) {
                        throw new CnnException("range() takes 1 to 3 ints, got " + r.size());
                    }
                    // Ints of any size, as in Python: range(2**63 - 2, 2**63 + 2) has four values.
                    Object start = r.size() == 1 ? (Object) 0L : rangeInt(r.get(0), "range() start");
                    Object stop = rangeInt(r.get(r.size() == 1 ? 0 : 1), "range() stop");
                    Object step = r.size() == 3 ? rangeInt(r.get(2), "range() step") : (Object) 1L;
                    if (Ints.big(step).signum() == 0) {
                        throw new CnnException("range() step cannot be zero");
                    }
                    return new RangeValue(start, stop, step);
                }));
        // lasting: len of a script layer runs the layer's own __len__
        b.add(Builtin.lasting(f, "len(x)", "Number of items of a list, tuple, string or range; a tensor's first size.",
                (rt, a) -> {
                    Object x = a.get("x");
                    if (x instanceof String s) {
                        return (long) s.codePointCount(0, s.length()); // characters, as Python counts them
                    }
                    if (x instanceof RangeValue r) {
                        return r.length();
                    }
                    if (x instanceof NDArray t) {
                        if (t.getShape().dimension() == 0) {
                            throw new CnnException("len() of a 0-dimensional tensor");
                        }
                        return t.getShape().get(0);
                    }
                    if (x instanceof io.cnnscript.value.HasMembers h) {
                        Object n = h.callMethod(rt, "__len__", new Object[0], new String[0], new Object[0]);
                        if (n != null) {
                            return n;
                        }
                    }
                    return (long) sequence(x, "len() argument").size();
                }));
        b.add(new Builtin(f, "str(x)", "The text print shows for x.", (rt, a) -> Values.str(a.get("x"))));
        b.add(new Builtin(f, "repr(x)", "The text the REPL shows for x (strings quoted).", (rt, a) -> Values.repr(a.get("x"))));
        b.add(new Builtin(f, "type(x)", "The name of x's type: int, float, string, tensor, list, ...",
                (rt, a) -> Values.typeName(a.get("x"))));
        b.add(new Builtin(f, "int(x)", "x as an int: floats are truncated, strings parsed.", (rt, a) -> {
            Object x = a.get("x");
            if (x instanceof String s) {
                String digits = s.strip().replace("_", "");
                if (!digits.matches("[+-]?[0-9]+") || s.strip().startsWith("_") || s.strip().endsWith("_") || s.contains("__")) {
                    throw new CnnException("int() cannot read " + Values.repr(s));
                }
                if (digits.length() > Ints.MAX_DIGITS + 1) {
                    throw Ints.tooLarge(Long.MAX_VALUE);
                }
                return Ints.of(new java.math.BigInteger(digits));
            }
            if (x instanceof Double d) {
                return truncate(d);
            }
            if (x instanceof java.math.BigInteger) {
                return x;
            }
            if (x instanceof NDArray t) {
                Object item = Conversions.item(t);
                return item instanceof Double d ? truncate(d) : item instanceof Boolean bo ? (Object) (bo ? 1L : 0L) : item;
            }
            return toLong(x, "int() argument");
        }));
        b.add(new Builtin(f, "float(x)", "x as a float; strings are parsed.", (rt, a) -> {
            if (a.get("x") instanceof String s) {
                // Python's float(): decimal forms, inf, infinity and nan in any case; not Java's 1.5f or 0x1p3.
                String t = s.strip().toLowerCase(java.util.Locale.ROOT).replace("_", "");
                if (t.matches("[+-]?(inf|infinity)")) {
                    return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                if (t.matches("[+-]?nan")) {
                    return Double.NaN;
                }
                if (!t.matches("[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)(e[+-]?[0-9]+)?")) {
                    throw new CnnException("float() cannot read " + Values.repr(s));
                }
                return Double.parseDouble(t);
            }
            return a.toDouble("x", "float() argument");
        }));
        b.add(new Builtin(f, "bool(x)", "The truth of x.", (rt, a) -> a.truthy("x")));
        b.add(new Builtin(f, "abs(x)", "Absolute value of a number or, element-wise, a tensor.", (rt, a) -> {
            Object x = a.get("x");
            if (x instanceof Long n) {
                return n == Long.MIN_VALUE ? Ints.of(Ints.big(n).negate()) : (Object) Math.abs(n);
            }
            if (x instanceof java.math.BigInteger n) {
                return n.abs();
            }
            if (x instanceof Double d) {
                return Math.abs(d);
            }
            if (x instanceof Boolean t) {
                return t ? 1L : 0L; // Python: abs(True) is 1
            }
            return Conversions.tensor(x, "abs() argument").abs();
        }));
        b.add(new Builtin(f, "round(x, digits=none)", "x rounded to an int, or to digits decimals.", (rt, a) -> {
            Object x = a.get("x");
            if (x instanceof Boolean t) {
                x = t ? 1L : 0L; // Python: a bool is an int, so round(True, 1) is the int 1
            }
            if (Ints.isInt(x) && a.isNone("digits")) {
                return x;
            }
            if (Ints.isInt(x)) {
                // Python: round(int, n) is an int; a negative n rounds to tens, hundreds, ... half to even.
                long digits = a.toLong("digits");
                if (digits >= 0) {
                    return x;
                }
                if (-digits > Ints.big(x).abs().toString().length() + 1) {
                    return 0L; // rounds to nothing, without making 10**-digits
                }
                return Ints.of(new java.math.BigDecimal(Ints.big(x)).setScale((int) a.toLong("digits"),
                        java.math.RoundingMode.HALF_EVEN).setScale(0, java.math.RoundingMode.UNNECESSARY).toBigIntegerExact());
            }
            double d = Conversions.toDouble(x, "round() argument");
            if (a.isNone("digits")) {
                return truncate(Math.rint(d));
            }
            long digits = a.toLong("digits");
            if (Double.isNaN(d) || Double.isInfinite(d) || digits > 400) {
                return d; // Python: round(inf, 2) is inf; a double has no digits past the 400th place
            }
            double r = digits < -400 ? 0.0
                    : new java.math.BigDecimal(d).setScale((int) digits, java.math.RoundingMode.HALF_EVEN).doubleValue();
            return r == 0 ? Math.copySign(0.0, d) : r; // round(-0.4, 0) is -0.0, as in Python
        }));
        b.add(new Builtin(f, "divmod(a, b)", "The pair (a // b, a % b) of two numbers, as Python's divmod.", (rt, a) -> {
            Object x = a.get("a");
            Object y = a.get("b");
            if (!Values.isNumber(x) || !Values.isNumber(y)) {
                // Python's TypeError; a tensor has no __divmod__ either.
                throw new CnnException("divmod() takes two numbers, not " + Values.typeName(x) + " and " + Values.typeName(y));
            }
            return Tuple.of(Operators.binary(rt, BinaryOp.FLOORDIV, x, y), Operators.binary(rt, BinaryOp.MOD, x, y));
        }));
        b.add(new Builtin(f, "min(*values, key=none)", "The smallest of the values, or of one list; key(x), if given, "
                + "is what is compared (the first smallest is the answer).",
                (rt, a) -> extreme(rt, a.rest("values"), BinaryOp.LT, "min", a.isNone("key") ? NoneValue.NONE : a.get("key"))));
        b.add(new Builtin(f, "max(*values, key=none)", "The largest of the values, or of one list; key(x), if given, "
                + "is what is compared (the first largest is the answer).",
                (rt, a) -> extreme(rt, a.rest("values"), BinaryOp.GT, "max", a.isNone("key") ? NoneValue.NONE : a.get("key"))));
        b.add(new Builtin(f, "any(items)", "True when some item is true (false for none).", (rt, a) -> {
            for (Object item : each(rt, a.get("items"), "any() items")) {
                if (Values.truthy(item)) {
                    return true;
                }
            }
            return false;
        }));
        b.add(new Builtin(f, "all(items)", "True when every item is true (true for none).", (rt, a) -> {
            for (Object item : each(rt, a.get("items"), "all() items")) {
                if (!Values.truthy(item)) {
                    return false;
                }
            }
            return true;
        }));
        b.add(new Builtin(f, "reversed(items)", "A list of the items, last first (Python gives an iterator over them).",
                (rt, a) -> {
                    List<Object> items = new ArrayList<>(iterable(rt, a.get("items"), "reversed() items"));
                    java.util.Collections.reverse(items);
                    return new PyList(items);
                }));
        b.add(new Builtin(f, "ord(c)", "The code point of a one-character string: ord('A') is 65.", (rt, a) -> {
            String s = a.string("c");
            if (s.codePointCount(0, s.length()) != 1) {
                throw new CnnException("ord() expected a character, but string of length " + s.codePointCount(0, s.length())
                        + " found");
            }
            return (long) s.codePointAt(0);
        }));
        b.add(new Builtin(f, "chr(i)", "The one-character string of a code point: chr(65) is 'A'.", (rt, a) -> {
            long i = a.toLong("i");
            if (i < 0 || i > Character.MAX_CODE_POINT) {
                throw new CnnException("chr() arg not in range(0x110000)");
            }
            return Character.toString((int) i);
        }));
        b.add(new Builtin(f, "sum(items, start=0)", "start plus every item of a list or tuple.", (rt, a) -> {
            Object total = a.get("start");
            if (total instanceof String) {
                throw new CnnException("sum() can't sum strings [use ''.join(seq) instead]"); // Python's TypeError
            }
            // A range is summed as it is walked, as in Python: sum(range(10**8)) holds no list.
            for (Object item : each(rt, a.get("items"), "sum() items")) {
                total = Operators.binary(rt, BinaryOp.ADD, total, item);
            }
            return total;
        }));
        b.add(new Builtin(f, "list(items=())", "A new list of the items of a list, tuple, range, string or tensor.",
                (rt, a) -> new PyList(iterable(rt, a.get("items"), "list() argument"))));
        b.add(new Builtin(f, "tuple(items=())", "A tuple of the items of a list, tuple, range or string.",
                (rt, a) -> new Tuple(iterable(rt, a.get("items"), "tuple() argument").toArray())));
        b.add(new Builtin(f, "enumerate(items, start=0)", "Pairs (i, item) for the items, counting from start.",
                (rt, a) -> {
                    List<Object> items = iterable(rt, a.get("items"), "enumerate() items");
                    long start = a.toLong("start");
                    List<Object> out = new ArrayList<>(items.size());
                    for (int i = 0; i < items.size(); i++) {
                        out.add(Tuple.of(start + i, items.get(i)));
                    }
                    return new PyList(out);
                }));
        b.add(new Builtin(f, "zip(*lists)", "Tuples of the i-th items of each list, as long as the shortest.",
                (rt, a) -> {
                    List<List<Object>> lists = new ArrayList<>();
                    int n = Integer.MAX_VALUE;
                    for (Object l : a.rest("lists").asList()) {
                        List<Object> items = iterable(rt, l, "zip() argument");
                        lists.add(items);
                        n = Math.min(n, items.size());
                    }
                    List<Object> out = new ArrayList<>();
                    for (int i = 0; i < (lists.isEmpty() ? 0 : n); i++) {
                        Object[] row = new Object[lists.size()];
                        for (int k = 0; k < row.length; k++) {
                            row[k] = lists.get(k).get(i);
                        }
                        out.add(new Tuple(row));
                    }
                    return new PyList(out);
                }));
        b.add(new Builtin(f, "sorted(items, key=none, reverse=false)", "A new list of the items in increasing order "
                + "(decreasing with reverse=true), of key(item) if key is given; equal items keep their order.",
                (rt, a) -> new PyList(sort(rt, iterable(rt, a.get("items"), "sorted() items"),
                        a.isNone("key") ? NoneValue.NONE : a.get("key"), a.truthy("reverse")))));
        b.add(new Builtin(f, "time()", "Seconds since an arbitrary start, as a float: subtract two readings to time code.",
                (rt, a) -> System.nanoTime() / 1e9));
        return b;
    }

    /**
     * The items sorted as Python sorts: by key(item) when key is not none, compared with {@code <}
     * only, stably (equal keys keep their order, reversed or not).
     */
    static List<Object> sort(Runtime rt, List<Object> items, Object key, boolean reverse) {
        List<Object[]> pairs = new ArrayList<>(items.size());
        for (Object item : items) {
            pairs.add(new Object[] {key == NoneValue.NONE ? item : rt.call(key, item), item});
        }
        pairs.sort((x, y) -> {
            int c = Values.truthy(Operators.binary(rt, BinaryOp.LT, x[0], y[0])) ? -1
                    : Values.truthy(Operators.binary(rt, BinaryOp.LT, y[0], x[0])) ? 1 : 0;
            return reverse ? -c : c;
        });
        List<Object> out = new ArrayList<>(pairs.size());
        for (Object[] p : pairs) {
            out.add(p[1]);
        }
        return out;
    }

    /** A float's integer part as an int of any size, as Python's int(x). */
    static Object truncate(double d) {
        if (Double.isNaN(d)) {
            throw new CnnException("cannot convert float NaN to integer");
        }
        if (Double.isInfinite(d)) {
            throw new CnnException("cannot convert float infinity to integer");
        }
        if (Math.abs(d) < 9.0e18) {
            return (long) d;
        }
        return Ints.of(new java.math.BigDecimal(d).toBigInteger());
    }

    /** A bound of range(): an int as it is (of any size); anything else as toLong takes or refuses it. */
    private static Object rangeInt(Object v, String what) {
        return Ints.isInt(v) ? v : (Object) toLong(v, what);
    }

    /** The items of anything a for loop can walk, materialised. */
    static List<Object> iterable(Runtime rt, Object v, String what) {
        if (v instanceof RangeValue r) {
            if (r.bigLength().compareTo(java.math.BigInteger.valueOf(Values.MAX_ITEMS)) > 0) {
                throw new CnnException(what + ": " + r + " has " + String.format(java.util.Locale.ROOT, "%,d",
                        r.bigLength()) + " ints; a list holds at most " + String.format(java.util.Locale.ROOT, "%,d",
                        Values.MAX_ITEMS) + " items (a fixed limit of cnnscript, see docs/EMBEDDING.md): loop over "
                        + "the range with for, or use arange() for a tensor");
            }
            List<Object> out = new ArrayList<>();
            r.iterator().forEachRemaining(out::add);
            return out;
        }
        if (v instanceof String s) {
            List<Object> out = new ArrayList<>();
            s.codePoints().forEach(c -> out.add(Character.toString(c)));
            return out;
        }
        if (v instanceof NDArray t) {
            if (t.getShape().dimension() == 0) {
                throw new CnnException(what + ": cannot take the items of a 0-dimensional tensor");
            }
            List<Object> out = new ArrayList<>();
            for (long i = 0; i < t.getShape().get(0); i++) {
                out.add(t.get(i));
            }
            return out;
        }
        return sequence(v, what);
    }

    private static Object extreme(Runtime rt, Tuple values, BinaryOp better, String fn, Object key) {
        List<Object> items = values.asList();
        if (items.size() == 1 && !(items.get(0) instanceof Long) && !(items.get(0) instanceof Double)) {
            if (items.get(0) instanceof NDArray t && key == NoneValue.NONE && t.getShape().dimension() == 1
                    && t.size() > 0) {
                // The largest element, as comparing them one by one gives; other tensors go by their rows, as in Python.
                return better == BinaryOp.LT ? t.min() : t.max();
            }
            items = iterable(rt, items.get(0), fn + "() argument");
        }
        if (items.isEmpty()) {
            throw new CnnException(fn + "() of nothing");
        }
        Object best = items.get(0);
        Object bestKey = key == NoneValue.NONE ? best : rt.call(key, best);
        for (Object v : items.subList(1, items.size())) {
            Object k = key == NoneValue.NONE ? v : rt.call(key, v);
            if (Values.truthy(Operators.binary(rt, better, k, bestKey))) {
                best = v;
                bestKey = k;
            }
        }
        return best;
    }

    /** The items of v one by one: a range is walked without a list (checking the engine's stop), others listed. */
    static Iterable<Object> each(Runtime rt, Object v, String what) {
        if (v instanceof RangeValue r) {
            return () -> new java.util.Iterator<>() {
                final java.util.Iterator<Object> it = r.iterator();
                long n;

                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public Object next() {
                    if ((++n & 0xFFFF) == 0) {
                        rt.checkStop();
                    }
                    return it.next();
                }
            };
        }
        return iterable(rt, v, what);
    }

    /** A tensor's elements as nested lists of Java values. */
    static Object toList(NDArray a) {
        Shape s = a.getShape();
        Object[] flat;
        if (a.getDataType() == DataType.BOOLEAN) {
            boolean[] v = a.toBooleanArray();
            flat = new Object[v.length];
            for (int i = 0; i < v.length; i++) {
                flat[i] = v[i];
            }
        } else if (a.getDataType().isFloating()) {
            double[] v = io.cnnscript.value.TensorData.doubles(a);
            flat = new Object[v.length];
            for (int i = 0; i < v.length; i++) {
                flat[i] = v[i];
            }
        } else {
            long[] v = io.cnnscript.value.TensorData.longs(a);
            flat = new Object[v.length];
            for (int i = 0; i < v.length; i++) {
                flat[i] = v[i];
            }
        }
        if (s.dimension() == 0) {
            return flat[0];
        }
        return nest(flat, s.getShape(), 0, new int[] {0});
    }

    private static PyList nest(Object[] flat, long[] dims, int d, int[] at) {
        List<Object> out = new ArrayList<>((int) dims[d]);
        for (long i = 0; i < dims[d]; i++) {
            out.add(d == dims.length - 1 ? flat[at[0]++] : nest(flat, dims, d + 1, at));
        }
        return new PyList(out);
    }
}

package io.cnnscript.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Tuple;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Conversions between Java values and script values, at the edge of the embedding API. */
final class JavaValues {

    private JavaValues() {}

    /**
     * A Java value as a script value. Tensors and Java arrays are copied into {@code scope}, so
     * the caller keeps its own arrays; lists are converted item by item.
     *
     * @throws IllegalArgumentException for a Java type that has no script equivalent
     */
    static Object toScript(Object v, NDManager scope) {
        if (v == null) {
            return NoneValue.NONE;
        }
        if (v instanceof NDArray a) {
            return copy(a, scope);
        }
        if (v instanceof Long || v instanceof Double || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return io.cnnscript.value.Ints.of(b);
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Character c) {
            return c.toString();
        }
        if (v instanceof char[] chars) {
            return new String(chars); // text, as a Character is (char[][] is a list of strings)
        }
        if (v.getClass().isArray()) {
            Class<?> leaf = v.getClass();
            while (leaf.isArray()) {
                leaf = leaf.getComponentType();
            }
            if (leaf.isPrimitive() && leaf != char.class) {
                return tensor(v, scope);
            }
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                items.add(toScript(Array.get(v, i), scope));
            }
            return new PyList(items);
        }
        if (v instanceof List<?> list) {
            List<Object> items = new ArrayList<>(list.size());
            for (Object item : list) {
                items.add(toScript(item, scope));
            }
            return new PyList(items);
        }
        if (v instanceof Number) {
            throw new IllegalArgumentException("cnnscript takes integers as int/long and floats as float/double, not "
                    + v.getClass().getName());
        }
        if (v instanceof Tuple || v instanceof PyList || v instanceof io.cnnscript.value.Callable
                || v.getClass().getName().startsWith("io.cnnscript.")) {
            return v; // a script value that came out of an engine (a function, a layer)
        }
        throw new IllegalArgumentException("cannot pass a " + v.getClass().getName() + " to cnnscript; it takes "
                + "NDArray, Java arrays of numbers, Number, Boolean, String, List, or null");
    }

    /**
     * A script value as a Java value: integers as Long, floats as Double, none as null, lists and
     * tuples as unmodifiable Lists. Tensors are copied into {@code into}, or, when it is null,
     * into arrays the host owns (in no manager: the engine neither holds nor frees them); other
     * values (functions, layers) come back as they are, to be passed back to the same engine.
     */
    static Object toJava(Object v, NDManager into) {
        return toJava(v, into, 0);
    }

    private static Object toJava(Object v, NDManager into, int depth) {
        if (v == null || v == NoneValue.NONE) {
            return null;
        }
        if (v instanceof NDArray a) {
            return copy(a, into);
        }
        if (v instanceof PyList l) {
            return list(l.items(), into, depth);
        }
        if (v instanceof Tuple t) {
            return list(t.asList(), into, depth);
        }
        return v;
    }

    private static List<Object> list(List<Object> items, NDManager into, int depth) {
        if (depth >= io.cnnscript.value.Values.MAX_NESTING) {
            throw new CnnException("too deep: lists nested more than " + io.cnnscript.value.Values.MAX_NESTING
                    + " levels (a list that holds itself?) cannot be handed to Java");
        }
        List<Object> out = new ArrayList<>(items.size());
        for (Object item : items) {
            out.add(toJava(item, into, depth + 1));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * A copy of the array that belongs to {@code into}, or, when it is null, to the host: an
     * array in no manager (DJL's detached array), freed by its close() or once nothing reaches it
     * ({@link io.cnnscript.lib.HostCopies}). The copy has no gradient history, so it holds nothing
     * of the engine's.
     */
    static NDArray copy(NDArray a, NDManager into) {
        NDArray c;
        try (NDArray noGrad = a.stopGradient()) {
            c = noGrad.duplicate();
        }
        if (into == null) {
            c.detach();
            io.cnnscript.lib.HostCopies.host().track(c);
        } else {
            c.attach(into);
        }
        return c;
    }

    /** A rectangular Java array of primitives (float[][], long[], ...) as a tensor. */
    private static NDArray tensor(Object array, NDManager scope) {
        List<Long> dims = new ArrayList<>();
        Object cur = array;
        Class<?> type = array.getClass();
        while (type.isArray()) {
            if (cur == null) {
                throw new IllegalArgumentException("the Java array has a null row at depth " + dims.size());
            }
            int n = Array.getLength(cur);
            dims.add((long) n);
            type = type.getComponentType();
            if (type.isArray()) {
                cur = n > 0 ? Array.get(cur, 0) : Array.newInstance(type.getComponentType(), 0);
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the Java array has " + size + " elements; the limit is "
                    + Integer.MAX_VALUE);
        }
        Object flat = Array.newInstance(type, (int) size);
        int[] at = {0};
        flatten(array, shape, 0, flat, at);
        Shape s = new Shape(shape);
        if (type == float.class) {
            return io.cnnscript.lib.JavaData.own(scope.create((float[]) flat, s));
        }
        if (type == double.class) {
            return io.cnnscript.lib.JavaData.own(scope.create((double[]) flat, s));
        }
        if (type == int.class) {
            return io.cnnscript.lib.JavaData.own(scope.create((int[]) flat, s));
        }
        if (type == long.class) {
            return io.cnnscript.lib.JavaData.own(scope.create((long[]) flat, s));
        }
        if (type == short.class) {
            // int32, not torch.tensor's int16: the tensor engine (DJL 0.36) aborts the process on
            // int16 tensors, and cnnscript has no int16; int32 holds every short exactly.
            short[] shorts = (short[]) flat;
            int[] ints = new int[shorts.length];
            for (int i = 0; i < ints.length; i++) {
                ints[i] = shorts[i];
            }
            return io.cnnscript.lib.JavaData.own(scope.create(ints, s));
        }
        if (type == byte.class) {
            return io.cnnscript.lib.JavaData.own(scope.create((byte[]) flat, s));
        }
        if (type == boolean.class) {
            return io.cnnscript.lib.JavaData.own(scope.create((boolean[]) flat, s));
        }
        throw new IllegalArgumentException("cnnscript takes arrays of float, double, int, long, short, byte or boolean, not "
                + type.getName());
    }

    private static void flatten(Object array, long[] shape, int dim, Object flat, int[] at) {
        if (array == null) {
            throw new IllegalArgumentException("the Java array has a null row at depth " + dim);
        }
        int n = Array.getLength(array);
        if (n != shape[dim]) {
            throw new IllegalArgumentException("the Java array is not rectangular: a row at depth " + dim + " has "
                    + n + " items where the first has " + shape[dim]);
        }
        if (dim == shape.length - 1) {
            System.arraycopy(array, 0, flat, at[0], n);
            at[0] += n;
            return;
        }
        for (int i = 0; i < n; i++) {
            flatten(Array.get(array, i), shape, dim + 1, flat, at);
        }
    }
}

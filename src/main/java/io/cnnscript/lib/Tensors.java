package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.value.Ints;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;

/** Tensor helpers shared by operators and built-ins. */
public final class Tensors {

    private Tensors() {}

    /**
     * Builds a tensor from nested lists of numbers: int64 when all are ints, float32 when any
     * is a float (or there are no numbers at all), bool when all are booleans, as PyTorch infers.
     * Ints keep all their 64 bits; one outside int64 is PyTorch's overflow error, unless a float
     * makes the tensor float32.
     */
    public static NDArray fromNested(Runtime rt, Object nested) {
        List<Long> dims = new ArrayList<>();
        Object probe = nested;
        while (probe instanceof PyList || probe instanceof Tuple) {
            if (dims.size() == 64) {
                throw new CnnException("a tensor has at most 64 dimensions; these lists nest deeper (a list that "
                        + "holds itself?)");
            }
            List<Object> items = Conversions.sequence(probe, "");
            dims.add((long) items.size());
            if (items.isEmpty()) {
                break;
            }
            probe = items.get(0);
        }
        if (probe instanceof NDArray) {
            return stack(rt, Conversions.sequence(nested, "tensor items"), 0);
        }
        Shape shape = new Shape(dims.stream().mapToLong(Long::longValue).toArray());
        int n = (int) shape.size();
        Object[] values = new Object[n];
        int[] kinds = new int[1]; // bit 1: float seen, bit 2: int seen, bit 4: bool seen
        int filled = flatten(nested, 0, shape, values, 0, kinds);
        if (filled != n) {
            throw new CnnException("tensor rows must all have the same length");
        }
        NDManager m = rt.scope();
        if ((kinds[0] & 1) != 0 || kinds[0] == 0) {
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                // As PyTorch: each number becomes a double first, then a float.
                Object v = values[i];
                f[i] = (float) (v instanceof Double d ? d : v instanceof Boolean b ? (b ? 1 : 0) : Ints.toDouble(v));
            }
            return JavaData.own(m.create(f, shape));
        }
        if (kinds[0] == 4) {
            boolean[] b = new boolean[n];
            for (int i = 0; i < n; i++) {
                b[i] = (Boolean) values[i];
            }
            return JavaData.own(m.create(b, shape));
        }
        long[] l = new long[n];
        for (int i = 0; i < n; i++) {
            Object v = values[i];
            if (v instanceof java.math.BigInteger) {
                throw Ints.overflowInTensor(v);
            }
            l[i] = v instanceof Boolean b ? (b ? 1 : 0) : (Long) v;
        }
        return JavaData.own(m.create(l, shape));
    }

    private static int flatten(Object v, int dim, Shape shape, Object[] out, int at, int[] kinds) {
        if (dim == shape.dimension()) {
            if (Ints.isInt(v)) {
                kinds[0] |= 2;
                out[at] = v;
            } else if (v instanceof Double d) {
                kinds[0] |= 1;
                out[at] = d;
            } else if (v instanceof Boolean b) {
                kinds[0] |= 4;
                out[at] = b;
            } else if (v instanceof NDArray a && a.size() == 1) {
                Object item = Conversions.item(a);
                return flatten(item, dim, shape, out, at, kinds);
            } else {
                throw new CnnException("a tensor holds numbers, not " + Values.typeName(v)
                        + (v instanceof PyList || v instanceof Tuple ? " (rows must all have the same depth)" : ""));
            }
            return at + 1;
        }
        if (!(v instanceof PyList || v instanceof Tuple)) {
            throw new CnnException("tensor rows must all have the same length and depth: found "
                    + Values.typeName(v) + " where a row of " + shape.get(dim) + " was expected");
        }
        List<Object> items = Conversions.sequence(v, "");
        if (items.size() != shape.get(dim)) {
            throw new CnnException("tensor rows must all have the same length: found a row of " + items.size()
                    + " where the first has " + shape.get(dim));
        }
        for (Object item : items) {
            at = flatten(item, dim + 1, shape, out, at, kinds);
        }
        return at;
    }

    /** Joins tensors along a new dimension, checking their shapes agree. */
    public static NDArray stack(Runtime rt, List<Object> items, int axis) {
        if (items.isEmpty()) {
            throw new CnnException("stack() needs at least one tensor");
        }
        List<NDArray> arrays = tensorList(items, "stack()");
        Shape first = arrays.get(0).getShape();
        for (int i = 1; i < arrays.size(); i++) {
            if (!arrays.get(i).getShape().equals(first)) {
                throw new CnnException("stack() needs tensors of one shape: item 0 has shape " + TensorFormat.shape(first)
                        + ", item " + i + " has " + TensorFormat.shape(arrays.get(i).getShape()));
            }
        }
        rt.checkNew("stack() of " + arrays.size() + " tensors of shape " + TensorFormat.shape(first),
                (double) arrays.size() * first.size(), arrays.get(0).getDataType().getNumOfBytes());
        if (arrays.size() == 1) {
            return arrays.get(0).expandDims(axis);
        }
        return ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(arrays), axis);
    }

    /** Joins tensors along an existing dimension. */
    public static NDArray cat(Runtime rt, List<Object> items, int axis) {
        if (items.isEmpty()) {
            throw new CnnException("cat() needs at least one tensor");
        }
        List<NDArray> arrays = tensorList(items, "cat()");
        Shape first = arrays.get(0).getShape();
        int d = axis < 0 ? axis + first.dimension() : axis;
        if (d < 0 || d >= first.dimension()) {
            throw new CnnException("cat() dim " + axis + " is out of range for tensors of shape "
                    + TensorFormat.shape(first));
        }
        for (int i = 1; i < arrays.size(); i++) {
            Shape s = arrays.get(i).getShape();
            boolean fits = s.dimension() == first.dimension();
            for (int k = 0; fits && k < s.dimension(); k++) {
                fits = k == d || s.get(k) == first.get(k);
            }
            if (!fits) {
                throw new CnnException("cat() along dim " + axis + " needs the other dimensions to agree: item 0 has shape "
                        + TensorFormat.shape(first) + ", item " + i + " has " + TensorFormat.shape(s));
            }
        }
        double total = 0;
        for (NDArray x : arrays) {
            total += x.getShape().size();
        }
        rt.checkNew("cat() of " + arrays.size() + " tensors", total, arrays.get(0).getDataType().getNumOfBytes());
        if (arrays.size() == 1) {
            return Promotion.cast(arrays.get(0), arrays.get(0).getDataType());
        }
        return ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(arrays), d);
    }

    private static List<NDArray> tensorList(List<Object> items, String fn) {
        List<NDArray> arrays = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object v = items.get(i);
            if (!(v instanceof NDArray a)) {
                throw new CnnException(fn + " takes a list of tensors; item " + i + " is " + Values.aTypeName(v));
            }
            arrays.add(a);
        }
        return arrays;
    }

    /**
     * {@code a op= rhs} in place, as PyTorch does for tensors: the tensor stays the same object,
     * so every name for it sees the change, and a result that cannot live in {@code a}'s dtype is
     * an error (an int tensor {@code += 1.5} or {@code /= 2}: "result type Float can't be cast to
     * the desired output type Long"). False when the right side is no tensor or number, and the
     * caller computes {@code a op rhs} instead. A param itself is changed outside the recorded
     * graph, as under torch.no_grad().
     */
    public static boolean inPlace(Runtime rt, NDArray a, BinaryOp op, Object rhs) {
        if (op == BinaryOp.FLOORDIV && (rhs instanceof NDArray || Values.isNumber(rhs))) {
            Division.inPlace(rt, a, rhs);
            return true;
        }
        if (op != BinaryOp.ADD && op != BinaryOp.SUB && op != BinaryOp.MUL && op != BinaryOp.DIV) {
            return false;
        }
        if (!(rhs instanceof NDArray || rhs instanceof Long || rhs instanceof Double || rhs instanceof Boolean)) {
            return false;
        }
        if (rhs instanceof Boolean b) {
            rhs = JavaData.own(rt.scope().create(b.booleanValue())); // a Python bool is a bool scalar: X *= true keeps a bool X bool
        }
        try (GradMode g = GradMode.disabledIf(a.hasGradient())) {
            if (rhs instanceof NDArray r) {
                switch (op) {
                    case ADD -> a.addi(r);
                    case SUB -> a.subi(r);
                    case MUL -> a.muli(r);
                    default -> a.divi(r);
                }
            } else {
                Number n = Operators.scalarFor(a, rhs instanceof Boolean b ? (Object) (b ? 1L : 0L) : rhs);
                switch (op) {
                    case ADD -> a.addi(n);
                    case SUB -> a.subi(n);
                    case MUL -> a.muli(n);
                    default -> a.divi(n);
                }
            }
        } catch (ai.djl.engine.EngineException | IllegalArgumentException e) {
            String why = Errors.firstLine(e);
            if (why.startsWith("result type ") || why.contains("leaf Variable that requires grad")) {
                throw new CnnException(why);
            }
            String other = rhs instanceof NDArray r ? TensorFormat.shape(r.getShape()) : Values.typeName(rhs);
            throw new CnnException("'" + op.symbol + "=' cannot combine a tensor of shape "
                    + TensorFormat.shape(a.getShape()) + " with " + other + ": " + Errors.firstLine(e));
        }
        return true;
    }

    /**
     * {@code x.fill_(value)}: every element set to value, converted to x's dtype as PyTorch
     * converts it (2.5 into an int tensor is 2), through libtorch.
     */
    public static NDArray fill(Runtime rt, NDArray x, Object value) {
        Object v = value;
        NDArray scalar;
        if (v instanceof Boolean b) {
            scalar = JavaData.own(rt.scope().create(b));
        } else if (v instanceof Long l) {
            scalar = JavaData.own(rt.scope().create(l));
        } else if (v instanceof Double d) {
            scalar = JavaData.own(rt.scope().create(d));
        } else if (v instanceof NDArray t && t.getShape().dimension() == 0) {
            scalar = t;
        } else {
            throw new CnnException("fill_() takes a number or a 0-dimensional tensor, not " + Values.aTypeName(value));
        }
        refuseLeaf(x, false);
        // libtorch's index_put_ needs one index at least: a 0-d tensor is written through a 1-d view of it
        NDArray target = x.getShape().dimension() == 0 ? x.reshape(1) : x;
        int n = target.getShape().dimension();
        long[] min = new long[n];
        long[] max = target.getShape().getShape();
        long[] step = new long[n];
        java.util.Arrays.fill(step, 1);
        try {
            Torch.indexSet(target, scalar, min,
                    max, step);
        } catch (ai.djl.engine.EngineException e) {
            throw new CnnException("fill_(): " + Errors.firstLine(e));
        }
        return x;
    }

    /**
     * PyTorch refuses to change a param (a leaf that requires grad) in place while gradients
     * are recorded: through a method such as fill_ or, with {@code view}, through an index.
     */
    static void refuseLeaf(NDArray x, boolean view) {
        if (x.hasGradient() && GradMode.isEnabled()) {
            throw new CnnException((view ? "a view of a leaf Variable" : "a leaf Variable")
                    + " that requires grad is being used in an in-place operation.");
        }
    }

    /** 2-D cross-correlation of X with kernel K, as the notebook's corr2d computes it. */
    public static NDArray corr2d(Runtime rt, NDArray x, NDArray k) {
        Shape xs = x.getShape();
        Shape ks = k.getShape();
        if (xs.dimension() != 2 || ks.dimension() != 2) {
            throw new CnnException("corr2d() takes a 2-D input and a 2-D kernel, got shapes " + TensorFormat.shape(xs)
                    + " and " + TensorFormat.shape(ks));
        }
        long outH = xs.get(0) - ks.get(0) + 1;
        long outW = xs.get(1) - ks.get(1) + 1;
        if (outH < 0 || outW < 0) {
            // The notebook's loop asks torch.zeros for a negative size here, which PyTorch refuses.
            throw new CnnException("corr2d() kernel of shape " + TensorFormat.shape(ks)
                    + " is larger than the input of shape " + TensorFormat.shape(xs) + " by more than one row or column");
        }
        if (outH == 0 || outW == 0) {
            // One row or column larger: the loop's torch.zeros((0, w)) stays empty.
            return rt.scope().zeros(new Shape(outH, outW), DataType.FLOAT32);
        }
        NDArray xf = x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray kf = k.getDataType() == DataType.FLOAT32 ? k : k.toType(DataType.FLOAT32, false);
        NDArray x4 = xf.reshape(1, 1, xs.get(0), xs.get(1));
        NDArray k4 = kf.reshape(1, 1, ks.get(0), ks.get(1));
        NDArray y = Convolution.conv2d(x4, k4, null, new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1);
        return y.reshape(xs.get(0) - ks.get(0) + 1, xs.get(1) - ks.get(1) + 1);
    }
}

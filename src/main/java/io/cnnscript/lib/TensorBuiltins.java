package io.cnnscript.lib;

import static io.cnnscript.lib.Conversions.isNone;
import static io.cnnscript.lib.Conversions.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Built-ins that make and combine tensors, and autograd. */
final class TensorBuiltins {

    private TensorBuiltins() {}

    /** The shape a creator was asked for, refused when it holds more than the engine allows. */
    static Shape checkedSize(Runtime rt, Tuple sizes, String fn) {
        Shape s = Conversions.sizes(sizes, fn);
        double n = 1;
        for (long d : s.getShape()) {
            n *= d;
        }
        rt.checkNew(fn + "() of shape " + TensorFormat.shape(s), n, 4);
        return s;
    }

    private static DataType dtype(Object v, DataType fallback) {
        return isNone(v) ? fallback : Dtypes.of(Conversions.string(v, "dtype"));
    }

    static List<Builtin> all() {
        List<Builtin> b = new ArrayList<>();
        String f = "tensors";
        b.add(new Builtin(f, "zeros(*size, dtype=none)", "A tensor of zeros (float32 by default): zeros(2, 3) or zeros((2, 3)).",
                (rt, a) -> rt.scope().zeros(checkedSize(rt, a.rest("size"), "zeros"), dtype(a.get("dtype"), DataType.FLOAT32))));
        b.add(new Builtin(f, "ones(*size, dtype=none)", "A tensor of ones (float32 by default): ones(6, 8).",
                (rt, a) -> rt.scope().ones(checkedSize(rt, a.rest("size"), "ones"), dtype(a.get("dtype"), DataType.FLOAT32))));
        b.add(new Builtin(f, "full(size, value, dtype=none)",
                "A tensor of the given size filled with value; int64 for an int value, float32 for a float.",
                (rt, a) -> {
                    Object size = a.get("size");
                    Object value = a.get("value");
                    Shape s = checkedSize(rt, size instanceof Tuple t ? t : Tuple.of(size), "full");
                    DataType t = dtype(a.get("dtype"), value instanceof Double ? DataType.FLOAT32
                            : value instanceof Boolean ? DataType.BOOLEAN : DataType.INT64);
                    double v = a.toDouble("value");
                    NDArray filled = rt.scope().full(s, (float) v, DataType.FLOAT32);
                    return filled.toType(t, false);
                }));
        b.add(new Builtin(f, "rand(*size)", "Uniform random numbers in [0, 1), float32; follows seed(n).",
                (rt, a) -> {
                    Shape s = checkedSize(rt, a.rest("size"), "rand");
                    return rt.drawRandom(s.size(), () -> rt.scope().randomUniform(0f, 1f, s),
                            m -> m.randomUniform(0f, 1f, s));
                }));
        b.add(new Builtin(f, "randn(*size)", "Standard normal random numbers, float32; follows seed(n).",
                (rt, a) -> {
                    Shape s = checkedSize(rt, a.rest("size"), "randn");
                    return rt.drawRandom(s.size(), () -> rt.scope().randomNormal(s), m -> m.randomNormal(s));
                }));
        b.add(new Builtin(f, "arange(start, stop=none, step=1, dtype=none)",
                "The numbers from start (or 0) up to stop, by step: int64 for ints, float32 if any is a float.",
                (rt, a) -> {
                    boolean one = a.isNone("stop"); // arange(stop)
                    Object start = one ? 0L : a.get("start");
                    Object stop = one ? a.get("start") : a.get("stop");
                    Object step = a.get("step");
                    boolean floats = start instanceof Double || stop instanceof Double || step instanceof Double;
                    return Arange.make(rt, start, stop, step, dtype(a.get("dtype"), floats ? DataType.FLOAT32 : DataType.INT64));
                }));
        b.add(new Builtin(f, "eye(n, m=none)", "The n x m identity matrix (float32).",
                (rt, a) -> {
                    int n = a.toInt("n");
                    int m = a.isNone("m") ? n : a.toInt("m");
                    checkedSize(rt, Tuple.of((long) n, (long) m), "eye");
                    return rt.scope().eye(n, m, 0, DataType.FLOAT32);
                }));
        b.add(new Builtin(f, "zeros_like(x)", "Zeros of x's shape and dtype.",
                (rt, a) -> a.tensor("x", "zeros_like() argument").zerosLike()));
        b.add(new Builtin(f, "ones_like(x)", "Ones of x's shape and dtype.",
                (rt, a) -> a.tensor("x", "ones_like() argument").onesLike()));
        b.add(new Builtin(f, "tensor(data, dtype=none, requires_grad=false)",
                "A new tensor from data, as PyTorch's torch.tensor: a number, a bool, nested lists or tuples of them "
                        + "(int64 for ints, float32 if any is a float, bool for bools, unless dtype says), or a tensor "
                        + "(copied outside the autograd graph, with PyTorch's warning). requires_grad=true makes a float "
                        + "tensor record the operations on it, as param() does.",
                (rt, a) -> NewTensor.make(rt, a.get("data"), a.isNone("dtype") ? null : dtype(a.get("dtype"), null),
                        a.get("requires_grad"))));
        b.add(new Builtin(f, "as_tensor(values, dtype=none)", "A tensor from nested lists of numbers, like tensor[...].",
                (rt, a) -> {
                    Object values = a.get("values");
                    NDArray t = values instanceof NDArray x ? x : Tensors.fromNested(rt, values);
                    return a.isNone("dtype") ? t : t.toType(dtype(a.get("dtype"), t.getDataType()), false);
                }));
        b.add(new Builtin(f, "seed(n)", "Makes random numbers repeatable: rand, randn, layer initialisation, shuffling.",
                (rt, a) -> {
                    rt.seed(a.toLong("n", "seed"));
                    return NoneValue.NONE;
                }));
        b.add(new Builtin(f, "stack(tensors, dim=0)", "Joins tensors of one shape along a new dimension.",
                (rt, a) -> Tensors.stack(rt, Conversions.sequence(a.get("tensors"), "stack() tensors"), a.toInt("dim"))));
        b.add(new Builtin(f, "cat(tensors, dim=0)", "Joins tensors along an existing dimension: cat([X, X + 1], dim=1).",
                (rt, a) -> Tensors.cat(rt, Conversions.sequence(a.get("tensors"), "cat() tensors"), a.toInt("dim"))));
        b.add(new Builtin(f, "matmul(a, b)", "Matrix product, the same as a @ b.",
                (rt, a) -> {
                    NDArray x = a.tensor("a", "matmul() a");
                    NDArray y = a.tensor("b", "matmul() b");
                    Operators.checkResult(rt, io.cnnscript.syntax.BinaryOp.MATMUL, x.getShape(), y.getShape(),
                            Math.max(x.getDataType().getNumOfBytes(), y.getDataType().getNumOfBytes()));
                    return Operators.matmul(x, y);
                }));
        b.add(new Builtin(f, "corr2d(X, K)", "2-D cross-correlation of the 2-D input X with the 2-D kernel K: "
                + "Y[i, j] = (X[i:i + h, j:j + w] * K).sum(). Gives float32.",
                (rt, a) -> Tensors.corr2d(rt, a.tensor("X", "corr2d() X"), a.tensor("K", "corr2d() K"))));
        b.add(new Builtin("autograd", "param(x)",
                "A trainable copy of the float tensor x: operations on it are recorded, backward(loss) fills its .grad.",
                (rt, a) -> {
                    NDArray x = a.tensor("x", "param() argument");
                    if (!x.getDataType().isFloating()) {
                        throw new CnnException("param() needs a float tensor, this one is " + Dtypes.name(x.getDataType())
                                + "; use .float() first");
                    }
                    rt.noteAutograd();
                    NDArray p = x.duplicate();
                    p.setRequiresGradient(true);
                    return p;
                }));
        b.add(new Builtin("autograd", "backward(loss)",
                "Computes the gradient of the one-element tensor loss with respect to every param() it depends on, "
                        + "adding it to their .grad (clear them with zero_grad).", (rt, a) -> {
                    NDArray loss = a.tensor("loss", "backward() loss");
                    if (loss.size() != 1) {
                        throw new CnnException("backward() needs a loss with one element, this one has shape "
                                + TensorFormat.shape(loss.getShape()) + "; reduce it first, e.g. with .sum()");
                    }
                    NDArray ones = loss.onesLike();
                    java.util.List<Object> marks = NotDifferentiable.before(rt);
                    try {
                        Torch.backward(loss, ones);
                        NotDifferentiable.check(rt, marks);
                    } catch (ai.djl.engine.EngineException e) {
                        if (Errors.firstLine(e).contains("does not require grad")) {
                            throw new CnnException("backward(): the loss does not depend on any param(), so there is "
                                    + "no gradient to compute");
                        }
                        // libtorch names a tensor type as C++ does (CPUFloatType), PyTorch as Python does
                        throw new CnnException("backward(): " + Errors.firstLine(e)
                                .replaceAll("\\[CPU(\\w+)Type ", "[torch.$1Tensor "));
                    }
                    return NoneValue.NONE;
                }));
        // lasting: zero_grad(net) runs a script layer's own zero_grad method when it has one
        b.add(Builtin.lasting("autograd", "zero_grad(*params)", "Sets the .grad of each param to zero.", (rt, a) -> {
            for (Object p : a.rest("params").asList()) {
                if (p instanceof io.cnnscript.value.HasMembers h) {
                    h.callMethod(rt, "zero_grad", new Object[0], new String[0], new Object[0]);
                    continue;
                }
                NDArray t = tensor(p, "zero_grad() argument");
                if (!t.hasGradient()) {
                    throw new CnnException("zero_grad(): this tensor is not a param()");
                }
                Torch.zeroGrad(t);
            }
            return NoneValue.NONE;
        }));
        return b;
    }

}

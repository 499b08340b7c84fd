package io.cnnscript.lib;

import static io.cnnscript.lib.Conversions.isNone;
import static io.cnnscript.lib.Conversions.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Tensor operations the modern-CNN chapter and its readers use: permute, clamp, std, var, pow,
 * repeat, expand as methods; exp, log, sqrt, pow, clamp, permute as functions; linspace and mm.
 * Each behaves as PyTorch's of the same name (dtypes, defaults, and where it raises).
 */
final class TensorOps {

    private TensorOps() {}

    private static final String METHODS = "tensor methods";
    private static final String FUNCTIONS = "tensors";

    /** The tensor methods made here, for {@code Library.Builder}. */
    static List<Builtin> methods() {
        List<Builtin> b = new ArrayList<>();
        b.add(new Builtin(METHODS, "permute(self, *dims)",
                "The dimensions in a new order: X.permute(2, 0, 1) or X.permute((2, 0, 1)); each dimension once.",
                (rt, a) -> permute(rt, (NDArray) a.get("self"), a.rest("dims"))));
        b.add(new Builtin(METHODS, "clamp(self, min=none, max=none)",
                "Each element limited to [min, max] (either may be none); a float bound makes an int tensor float.",
                (rt, a) -> clamp(rt, (NDArray) a.get("self"), a.get("min"), a.get("max"))));
        b.add(new Builtin(METHODS, "std(self, dim=none, unbiased=true, keepdim=false)",
                "Standard deviation of all elements or along dim; unbiased divides by n - 1 (float tensors).",
                (rt, a) -> spread(rt, (NDArray) a.get("self"), a.get("dim"), a.get("unbiased"), a.get("keepdim"), true)));
        b.add(new Builtin(METHODS, "var(self, dim=none, unbiased=true, keepdim=false)",
                "Variance of all elements or along dim; unbiased divides by n - 1 (float tensors).",
                (rt, a) -> spread(rt, (NDArray) a.get("self"), a.get("dim"), a.get("unbiased"), a.get("keepdim"), false)));
        b.add(new Builtin(METHODS, "pow(self, exponent)", "Element-wise power, the same as X ** exponent.",
                (rt, a) -> Operators.binary(rt, BinaryOp.POW, a.get("self"), a.get("exponent"))));
        b.add(new Builtin(METHODS, "repeat(self, *sizes)",
                "The tensor tiled sizes[i] times along each dimension (PyTorch's repeat): "
                        + "tensor[1, 2].repeat(2, 2) is 2 x 4. At least as many sizes as dimensions.",
                (rt, a) -> repeat(rt, (NDArray) a.get("self"), a.rest("sizes"))));
        b.add(new Builtin(METHODS, "expand(self, *sizes)",
                "A view with dimensions of size 1 stretched to sizes (-1 keeps a size): X.expand(3, 4).",
                (rt, a) -> expand(rt, (NDArray) a.get("self"), a.rest("sizes"))));
        b.add(new Builtin(METHODS, "flip(self, *dims)",
                "A copy with the order of the elements reversed along the dims: X.flip(1) or X.flip((0, 1)). "
                        + "What a negative slice step does on a list; a tensor slice steps forwards only, as in PyTorch.",
                (rt, a) -> flip(rt, (NDArray) a.get("self"), a.rest("dims"))));
        return b;
    }

    /** PyTorch's flip: dims required (an empty tuple copies), each once; a 0-d tensor takes 0 and -1. */
    static NDArray flip(Runtime rt, NDArray x, Tuple args) {
        if (args.size() == 0) {
            throw new CnnException("flip() is missing its argument 'dims'; it takes X.flip(*dims)");
        }
        long[] dims = ints(args, "flip");
        int rank = Math.max(x.getShape().dimension(), 1);
        int[] axes = new int[dims.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < dims.length; i++) {
            axes[i] = axis((int) dims[i], rank, "flip");
            if (seen[axes[i]]) {
                throw new CnnException("flip(): dimension " + dims[i] + " is given twice; each dimension once");
            }
            seen[axes[i]] = true;
        }
        if (x.getShape().dimension() == 0 || axes.length == 0) {
            return Promotion.cast(x, x.getDataType());
        }
        return x.flip(axes);
    }

    /**
     * The functions, for the library; exp, log and sqrt call the library's tensor method of
     * their name ({@code tensorMethod} finds it).
     */
    static List<Builtin> functions(Function<String, Builtin> tensorMethod) {
        Builtin exp = Objects.requireNonNull(tensorMethod.apply("exp"));
        Builtin log = Objects.requireNonNull(tensorMethod.apply("log"));
        Builtin sqrt = Objects.requireNonNull(tensorMethod.apply("sqrt"));
        List<Builtin> b = new ArrayList<>();
        b.add(new Builtin(FUNCTIONS, "exp(x)", "Element-wise e**x of a tensor (ints become float32).",
                (rt, a) -> method(rt, exp, a.get("x"))));
        b.add(new Builtin(FUNCTIONS, "log(x)", "Element-wise natural logarithm of a tensor (ints become float32).",
                (rt, a) -> method(rt, log, a.get("x"))));
        b.add(new Builtin(FUNCTIONS, "sqrt(x)", "Element-wise square root of a tensor (ints become float32).",
                (rt, a) -> method(rt, sqrt, a.get("x"))));
        b.add(new Builtin(FUNCTIONS, "pow(x, exponent)",
                "x ** exponent: element-wise for tensors (x or exponent may be a number), Python's power for two numbers.",
                (rt, a) -> Operators.binary(rt, BinaryOp.POW, a.get("x"), a.get("exponent"))));
        b.add(new Builtin(FUNCTIONS, "clamp(x, min=none, max=none)", "The same as x.clamp(min, max).",
                (rt, a) -> clamp(rt, a.tensor("x", "clamp() x"), a.get("min"), a.get("max"))));
        b.add(new Builtin(FUNCTIONS, "permute(x, dims)", "The same as x.permute(dims).",
                (rt, a) -> permute(rt, a.tensor("x", "permute() x"), Tuple.of(a.get("dims")))));
        b.add(new Builtin(FUNCTIONS, "linspace(start, end, steps)",
                "steps evenly spaced float32 values from start to end, both included: linspace(0, 1, 5).",
                (rt, a) -> {
                    long steps = a.toLong("steps", "linspace() steps");
                    if (steps < 0) {
                        throw new CnnException("linspace() steps must be non-negative, got " + steps);
                    }
                    float start = (float) a.toDouble("start", "linspace() start");
                    float end = (float) a.toDouble("end", "linspace() end");
                    TensorBuiltins.checkedSize(rt, Tuple.of(steps), "linspace");
                    return rt.scope().linspace(start, end, (int) steps, true);
                }));
        b.add(new Builtin(FUNCTIONS, "mm(a, b)", "The product of two matrices (2-D tensors), (n, m) @ (m, p).",
                (rt, a) -> {
                    NDArray x = a.tensor("a", "mm() a");
                    NDArray y = a.tensor("b", "mm() b");
                    if (x.getShape().dimension() != 2) {
                        throw new CnnException("mm() a must be a matrix, got shape " + TensorFormat.shape(x.getShape()));
                    }
                    if (y.getShape().dimension() != 2) {
                        throw new CnnException("mm() b must be a matrix, got shape " + TensorFormat.shape(y.getShape()));
                    }
                    if (x.getShape().get(1) != y.getShape().get(0)) {
                        throw new CnnException("mm(): shapes " + TensorFormat.shape(x.getShape()) + " and "
                                + TensorFormat.shape(y.getShape()) + " cannot be multiplied ("
                                + x.getShape().get(0) + "x" + x.getShape().get(1) + " and " + y.getShape().get(0) + "x"
                                + y.getShape().get(1) + ")");
                    }
                    return Operators.matmul(x, y);
                }));
        return b;
    }

    private static Object method(Runtime rt, Builtin method, Object x) {
        NDArray t = tensor(x, method.name() + "() x");
        return method.call(rt, new Object[] {t}, new String[0], new Object[0]);
    }

    private static int axis(int d, int rank, String fn) {
        if (d >= rank || d < -rank) {
            throw new CnnException(fn + "() dim " + d + " is out of range for a tensor of " + rank + " dimension"
                    + (rank == 1 ? "" : "s"));
        }
        return d < 0 ? d + rank : d;
    }

    private static long[] ints(Tuple args, String fn) {
        List<Object> items = args.asList();
        if (items.size() == 1 && (items.get(0) instanceof Tuple || items.get(0) instanceof io.cnnscript.value.PyList)) {
            items = Conversions.sequence(items.get(0), fn + "() dims");
        }
        long[] out = new long[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Conversions.toLong(items.get(i), fn + "() size " + (i + 1));
        }
        return out;
    }

    static NDArray permute(Runtime rt, NDArray x, Tuple args) {
        if (args.size() == 0) {
            // PyTorch 1.13: permute() missing 1 required positional arguments: "dims" (even for a 0-d tensor).
            throw new CnnException("permute() is missing its argument 'dims'; it takes X.permute(*dims)");
        }
        long[] dims = ints(args, "permute");
        int rank = x.getShape().dimension();
        if (dims.length != rank) {
            throw new CnnException("permute() needs " + rank + " dimension" + (rank == 1 ? "" : "s") + " for a tensor of shape "
                    + TensorFormat.shape(x.getShape()) + ", got " + dims.length);
        }
        int[] axes = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = axis((int) dims[i], rank, "permute");
            if (seen[axes[i]]) {
                throw new CnnException("permute(): dimension " + dims[i] + " is given twice; each dimension once");
            }
            seen[axes[i]] = true;
        }
        return x.transpose(axes);
    }

    static NDArray clamp(Runtime rt, NDArray x, Object lo, Object hi) {
        if (isNone(lo) && isNone(hi)) {
            throw new CnnException("clamp() needs min or max (or both)");
        }
        boolean floatBound = lo instanceof Double || hi instanceof Double;
        if (lo instanceof NDArray || hi instanceof NDArray) {
            throw new CnnException("clamp() takes numbers as min and max");
        }
        NDArray in = x;
        if (!x.getDataType().isFloating() && floatBound) {
            in = x.toType(DataType.FLOAT32, false);
        }
        boolean isFloat = in.getDataType().isFloating();
        Number min = isNone(lo) ? (isFloat ? (Number) Double.NEGATIVE_INFINITY : (Number) Long.MIN_VALUE)
                : bound(lo, "clamp() min");
        Number max = isNone(hi) ? (isFloat ? (Number) Double.POSITIVE_INFINITY : (Number) Long.MAX_VALUE)
                : bound(hi, "clamp() max");
        // libtorch's clamp takes the bounds as tensors: DJL makes two scalars in x's manager and
        // never closes them; the built-in's scratch scope does (Builtin.call).
        return in.clip(min, max);
    }

    private static Number bound(Object v, String what) {
        return v instanceof Long n ? n : (Number) Conversions.toDouble(v, what);
    }

    /** std or var as PyTorch computes them: the mean of squared deviations over n - 1 (or n). */
    static NDArray spread(Runtime rt, NDArray x, Object dim, Object unbiasedArg, Object keepArg, boolean root) {
        String fn = root ? "std" : "var";
        if (!x.getDataType().isFloating()) {
            throw new CnnException(fn + "() needs a float tensor, this one is " + Dtypes.name(x.getDataType())
                    + "; use .float() first");
        }
        boolean unbiased = io.cnnscript.value.Values.truthy(unbiasedArg);
        boolean keep = io.cnnscript.value.Values.truthy(keepArg);
        int rank = x.getShape().dimension();
        int[] axes;
        if (isNone(dim)) {
            axes = new int[rank];
            for (int i = 0; i < rank; i++) {
                axes[i] = i;
            }
        } else {
            long[] d = dim instanceof Long n ? new long[] {n} : ints(Tuple.of(dim), fn);
            axes = new int[d.length];
            for (int i = 0; i < d.length; i++) {
                axes[i] = axis((int) d[i], Math.max(rank, 1), fn);
            }
        }
        long n = 1;
        for (int a : axes) {
            n *= rank == 0 ? 1 : x.getShape().get(a);
        }
        NDArray mean = rank == 0 ? x : x.sum(axes, true).div(n);
        NDArray dev = x.sub(mean);
        NDArray sq = dev.mul(dev);
        NDArray sum = rank == 0 ? Promotion.cast(sq, sq.getDataType()) : sq.sum(axes, keep);
        if (isNone(dim) && !keep) {
            sum = sum.reshape(new Shape());
        }
        NDArray v = sum.div(Math.max(0, n - (unbiased ? 1 : 0)));
        return root ? v.sqrt() : v;
    }

    static NDArray repeat(Runtime rt, NDArray x, Tuple args) {
        long[] reps = ints(args, "repeat");
        int rank = x.getShape().dimension();
        if (reps.length < rank) {
            throw new CnnException("repeat() needs at least " + rank + " sizes for a tensor of shape "
                    + TensorFormat.shape(x.getShape()) + ", got " + reps.length);
        }
        for (long r : reps) {
            if (r < 0) {
                throw new CnnException("repeat() sizes cannot be negative, got " + r);
            }
        }
        long[] shape = new long[reps.length];
        double total = 1;
        for (int i = 0; i < reps.length; i++) {
            int from = i - (reps.length - rank);
            shape[i] = (from < 0 ? 1 : x.getShape().get(from)) * reps[i];
            total *= shape[i];
        }
        if (total > rt.maxTensorElements()) {
            throw new CnnException("repeat() would make a tensor of shape " + TensorFormat.shape(new Shape(shape))
                    + ", more than the limit of " + String.format("%,d", rt.maxTensorElements()) + " elements");
        }
        NDArray in = x;
        if (reps.length > rank) {
            long[] padded = new long[reps.length];
            for (int i = 0; i < reps.length; i++) {
                int from = i - (reps.length - rank);
                padded[i] = from < 0 ? 1 : x.getShape().get(from);
            }
            in = x.reshape(new Shape(padded));
        }
        return in.tile(reps);
    }

    static NDArray expand(Runtime rt, NDArray x, Tuple args) {
        long[] sizes = ints(args, "expand");
        Shape s = x.getShape();
        int rank = s.dimension();
        if (sizes.length < rank) {
            throw new CnnException("expand() needs at least " + rank + " sizes for a tensor of shape "
                    + TensorFormat.shape(s) + ", got " + sizes.length);
        }
        long[] target = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int from = i - (sizes.length - rank);
            long have = from < 0 ? -1 : s.get(from);
            long want = sizes[i];
            if (want == -1) {
                if (from < 0) {
                    throw new CnnException("expand(): -1 is not allowed for the new leading dimension " + i);
                }
                want = have;
            }
            if (want < 0) {
                throw new CnnException("expand() sizes cannot be negative, got " + sizes[i]);
            }
            if (from >= 0 && have != 1 && have != want) {
                throw new CnnException("expand(): the size " + want + " does not match the existing size " + have
                        + " at dimension " + i + " (only dimensions of size 1 stretch); the tensor's shape is "
                        + TensorFormat.shape(s));
            }
            target[i] = want;
        }
        // A view, but the next operation on it makes a tensor of this size.
        double total = 1;
        for (long d : target) {
            total *= d;
        }
        rt.checkNew("expand() to shape " + TensorFormat.shape(new Shape(target)), total,
                x.getDataType().getNumOfBytes());
        return x.broadcast(new Shape(target));
    }
}

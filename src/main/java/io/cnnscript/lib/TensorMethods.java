package io.cnnscript.lib;

import static io.cnnscript.lib.Conversions.isNone;
import static io.cnnscript.lib.Conversions.toInt;

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

/** Methods and attributes of tensors: {@code X.sum()}, {@code X.shape}, ... */
public final class TensorMethods {

    /** Attribute names, for completion and messages. */
    public static final List<String> ATTRIBUTES = List.of("shape", "T", "grad", "data", "dtype", "ndim",
            "requires_grad", "is_leaf");

    /**
     * The tensor methods (TensorOps makes the rest), for {@code Library.Builder}, which adds
     * them to the library it builds; each call makes a new list.
     */
    static List<Builtin> all() {
        return List.copyOf(new TensorMethods().methods);
    }

    private final List<Builtin> methods = new ArrayList<>();

    private void method(String signature, String doc, Builtin.Body body) {
        methods.add(new Builtin("tensor methods", signature, doc, body));
    }

    private static NDArray self(Args a) {
        return (NDArray) a.get("self");
    }

    /** Axes from dim=none|int|tuple. */
    private static int[] axes(Object dim) {
        if (dim instanceof Long n) {
            return new int[] {(int) (long) n};
        }
        List<Object> items = Conversions.sequence(dim, "dim");
        int[] out = new int[items.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toInt(items.get(i), "dim");
        }
        return out;
    }

    /**
     * Checks dims as PyTorch does: a 0-d tensor takes dim 0 and -1 (it counts as one dimension),
     * and no dim may appear twice. Gives them counted from the front.
     */
    private static int[] checkAxes(NDArray x, int[] axes, String fn) {
        int rank = x.getShape().dimension();
        int n = Math.max(rank, 1);
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int ax = axes[i];
            if (ax >= n || ax < -n) {
                throw new CnnException(fn + "() dim " + ax + " is out of range for a tensor of shape "
                        + TensorFormat.shape(x.getShape()));
            }
            out[i] = ax < 0 ? ax + n : ax;
            for (int j = 0; j < i; j++) {
                if (out[j] == out[i]) {
                    throw new CnnException(fn + "() dim " + out[i] + " appears more than once in the dims "
                            + Tuple.ofLongs(java.util.Arrays.stream(axes).asLongStream().toArray()));
                }
            }
        }
        return out;
    }

    private static Object reduce(Runtime rt, Args a, String fn) {
        NDArray x = self(a);
        boolean keep = Boolean.TRUE.equals(a.get("keepdim"));
        Object dim = a.get("dim");
        if (fn.equals("mean") && !x.getDataType().isFloating()) {
            throw new CnnException("mean() needs a float tensor, this one is " + Dtypes.name(x.getDataType())
                    + "; use .float() first");
        }
        if (isNone(dim)) {
            NDArray r = switch (fn) {
                case "sum" -> x.sum();
                case "mean" -> x.mean();
                case "max" -> x.max();
                case "min" -> x.min();
                default -> x.prod();
            };
            return r;
        }
        if (!(dim instanceof Long) && !fn.equals("sum") && !fn.equals("mean")) {
            // PyTorch 1.13's max, min and prod take one dim, not a tuple of them.
            throw new CnnException(fn + "() takes one dim (an int), not a tuple of dims, as in PyTorch; "
                    + "reduce one dim at a time");
        }
        int[] axes = checkAxes(x, axes(dim), fn);
        boolean scalar = x.getShape().dimension() == 0;
        if (fn.equals("max") || fn.equals("min")) {
            // As PyTorch: the values and the positions they were found at.
            NDArray values = scalar ? x : fn.equals("max") ? x.max(axes, keep) : x.min(axes, keep);
            NDArray indices;
            if (scalar) {
                indices = JavaData.own(x.getManager().create(0L));
            } else {
                // libtorch has no argmax/argmin kernel for bool; PyTorch's max/min(dim) find them as uint8.
                NDArray y = x.getDataType() == DataType.BOOLEAN ? x.toType(DataType.UINT8, false) : x;
                indices = fn.equals("max") ? y.argMax(axes[0]) : y.argMin(axes[0]);
                if (keep) {
                    indices = indices.expandDims(axes[0]);
                }
            }
            return Tuple.of(values, indices);
        }
        if (scalar) {
            return x.getDataType() == DataType.BOOLEAN ? x.toType(DataType.INT64, false) : Promotion.cast(x, x.getDataType());
        }
        NDArray r = switch (fn) {
            case "sum" -> x.sum(axes, keep);
            case "mean" -> {
                long count = 1;
                for (int ax : axes) {
                    count *= x.getShape().get(ax);
                }
                yield axes.length == 1 ? x.mean(axes, keep) : x.sum(axes, keep).div(count);
            }
            default -> x.prod(axes, keep);
        };
        return r;
    }

    private TensorMethods() {
        method("sum(self, dim=none, keepdim=false)", "Sum of all elements, or along dim (an int or a tuple of dims).", (rt, a) -> reduce(rt, a, "sum"));
        method("mean(self, dim=none, keepdim=false)", "Mean of all elements, or along dim (an int or a tuple of dims); float tensors.",
                (rt, a) -> reduce(rt, a, "mean"));
        method("max(self, dim=none, keepdim=false)", "Largest element; along dim, a tuple (values, indices) of the largest and where they are.",
                (rt, a) -> reduce(rt, a, "max"));
        method("min(self, dim=none, keepdim=false)", "Smallest element; along dim, a tuple (values, indices) of the smallest and where they are.",
                (rt, a) -> reduce(rt, a, "min"));
        method("prod(self, dim=none, keepdim=false)", "Product of all elements, or along dim.",
                (rt, a) -> reduce(rt, a, "prod"));
        method("abs(self)", "Element-wise absolute value.", (rt, a) -> self(a).abs());
        method("exp(self)", "Element-wise e**x.", (rt, a) -> floating(rt, self(a)).exp());
        method("log(self)", "Element-wise natural logarithm.", (rt, a) -> floating(rt, self(a)).log());
        method("sqrt(self)", "Element-wise square root.", (rt, a) -> floating(rt, self(a)).sqrt());
        method("sigmoid(self)", "Element-wise 1 / (1 + e**-x).",
                (rt, a) -> ai.djl.nn.Activation.sigmoid(floating(rt, self(a))));
        method("relu(self)", "Element-wise max(x, 0).", (rt, a) -> ai.djl.nn.Activation.relu(self(a)));
        method("tanh(self)", "Element-wise hyperbolic tangent.", (rt, a) -> floating(rt, self(a)).tanh());
        method("softmax(self, dim)", "Softmax along dim (float tensors).", (rt, a) -> {
            NDArray x = floatOnly(self(a), "softmax");
            int d = checkAxes(x, new int[] {a.toInt("dim")}, "softmax")[0];
            return x.getShape().dimension() == 0 ? x.softmax(-1) : x.softmax(d);
        });
        method("norm(self)", "Euclidean (Frobenius) norm of all elements, a 0-dim tensor (float tensors).",
                (rt, a) -> floatOnly(self(a), "norm").norm());
        method("reshape(self, *shape)", "The same elements in a new shape; one size may be -1. "
                + "Takes sizes or a tuple: X.reshape(1, 1, 4, 4), X.reshape((1, 1) + X.shape).",
                (rt, a) -> reshape(rt, self(a), a.rest("shape"), "reshape"));
        method("view(self, *shape)", "Same as reshape.", (rt, a) -> reshape(rt, self(a), a.rest("shape"), "view"));
        method("float(self)", "A float32 copy (the tensor itself when it is float32, as in PyTorch).",
                (rt, a) -> converted(self(a), DataType.FLOAT32));
        method("double(self)", "A float64 copy (the tensor itself when it is float64).",
                (rt, a) -> converted(self(a), DataType.FLOAT64));
        method("long(self)", "An int64 copy, floats truncated (the tensor itself when it is int64).",
                (rt, a) -> converted(self(a), DataType.INT64));
        method("int(self)", "An int32 copy, floats truncated (the tensor itself when it is int32).",
                (rt, a) -> converted(self(a), DataType.INT32));
        method("bool(self)", "A bool copy, non-zero is true (the tensor itself when it is bool).",
                (rt, a) -> converted(self(a), DataType.BOOLEAN));
        method("item(self)", "The value of a one-element tensor as a number.", (rt, a) -> Conversions.item(self(a)));
        method("tolist(self)", "The elements as nested lists.", (rt, a) -> Builtins.toList(self(a)));
        method("numel(self)", "Number of elements.", (rt, a) -> self(a).size());
        method("dim(self)", "Number of dimensions.", (rt, a) -> (long) self(a).getShape().dimension());
        method("size(self, dim=none)", "The shape, or the size of one dimension.", (rt, a) -> {
            Shape s = self(a).getShape();
            if (a.isNone("dim")) {
                return Tuple.ofLongs(s.getShape());
            }
            int d = a.toInt("dim");
            int n = s.dimension();
            if (d >= n || d < -n) {
                throw new CnnException("size() dim " + d + " is out of range for shape " + TensorFormat.shape(s));
            }
            return s.get(d < 0 ? d + n : d);
        });
        method("argmax(self, dim=none)", "Index of the largest element, or along dim.", (rt, a) -> {
            NDArray x = self(a);
            if (a.isNone("dim")) {
                return x.flatten().argMax();
            }
            int d = checkAxes(x, new int[] {a.toInt("dim")}, "argmax")[0];
            return x.getShape().dimension() == 0 ? JavaData.own(x.getManager().create(0L)) : x.argMax(d);
        });
        method("argmin(self, dim=none)", "Index of the smallest element, or along dim.", (rt, a) -> {
            NDArray x = self(a);
            if (a.isNone("dim")) {
                return x.flatten().argMin();
            }
            int d = checkAxes(x, new int[] {a.toInt("dim")}, "argmin")[0];
            return x.getShape().dimension() == 0 ? JavaData.own(x.getManager().create(0L)) : x.argMin(d);
        });
        method("t(self)", "Transpose of a 2-D tensor (one of 0 or 1 dimensions gives a view of the same elements).", (rt, a) -> {
            NDArray x = self(a);
            if (x.getShape().dimension() > 2) {
                throw new CnnException("t() needs a tensor of at most 2 dimensions, this one has shape "
                        + TensorFormat.shape(x.getShape()) + "; use .transpose(dim0, dim1) or .T");
            }
            return transpose(rt, x);
        });
        method("transpose(self, dim0, dim1)", "Swaps two dimensions.",
                (rt, a) -> self(a).swapAxes(a.toInt("dim0"), a.toInt("dim1")));
        method("flatten(self, start_dim=0)", "Flattens dimensions from start_dim on into one.", (rt, a) -> {
            NDArray x = self(a);
            int start = checkAxes(x, new int[] {a.toInt("start_dim")}, "flatten")[0];
            int n = x.getShape().dimension();
            if (n == 0) {
                return x.reshape(1);
            }
            return x.flatten(start, n - 1);
        });
        method("squeeze(self, dim=none)", "Removes dimensions of size 1.", (rt, a) -> 
                a.isNone("dim") ? self(a).squeeze() : self(a).squeeze(a.toInt("dim")));
        method("unsqueeze(self, dim)", "Adds a dimension of size 1 at dim.",
                (rt, a) -> self(a).expandDims(a.toInt("dim")));
        method("detach(self)", "The same values, outside the autograd graph.", (rt, a) -> self(a).stopGradient());
        method("clone(self)", "A copy (recorded in the autograd graph, as in PyTorch).",
                (rt, a) -> Promotion.cast(self(a), self(a).getDataType()));
        method("requires_grad_(self, requires_grad=true)", "Makes this float tensor record the operations on it "
                + "(as param() does, but in place), or stop; returns the tensor. Only a leaf changes (X.is_leaf): a "
                + "tensor computed from one keeps recording, as in PyTorch.", TensorMethods::requiresGrad);
        method("zero_(self)", "Sets every element to 0 in place; returns the tensor.",
                (rt, a) -> Tensors.fill(rt, self(a), 0L));
        method("fill_(self, value)", "Sets every element to value in place, converted to the tensor's dtype as "
                + "PyTorch does (2.5 in an int tensor is 2); returns the tensor.",
                (rt, a) -> Tensors.fill(rt, self(a), a.get("value")));
        method("any(self)", "Whether any element is non-zero, as a 0-dim bool tensor (tensor(True)), as in PyTorch; "
                + "if X.any() { ... } reads it as a truth value.",
                (rt, a) -> truthTensor(rt, self(a), anyTrue(self(a))));
        method("all(self)", "Whether every element is non-zero, as a 0-dim bool tensor (tensor(True)), as in PyTorch; "
                + "true for an empty tensor.",
                (rt, a) -> truthTensor(rt, self(a), allTrue(self(a))));
    }

    /** PyTorch 1.13's any() and all(): a 0-d bool tensor, or a 0-d uint8 one for a uint8 tensor. */
    private static NDArray truthTensor(Runtime rt, NDArray x, boolean value) {
        NDArray r = JavaData.own(x.getManager().create(value));
        return x.getDataType() == DataType.UINT8 ? r.toType(DataType.UINT8, false) : r;
    }

    private static boolean anyTrue(NDArray x) {
        for (boolean b : io.cnnscript.value.TensorData.booleans(x)) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    private static boolean allTrue(NDArray x) {
        for (boolean b : io.cnnscript.value.TensorData.booleans(x)) {
            if (!b) {
                return false;
            }
        }
        return true;
    }

    /** PyTorch computes norm and softmax for float tensors only, and says so for ints and bools. */
    private static NDArray floatOnly(NDArray x, String fn) {
        if (!x.getDataType().isFloating()) {
            throw new CnnException(fn + "() needs a float tensor, this one is " + Dtypes.name(x.getDataType())
                    + "; use .float() first");
        }
        return x;
    }

    private static NDArray floating(Runtime rt, NDArray x) {
        return x.getDataType().isFloating() ? x : x.toType(DataType.FLOAT32, false);
    }

    private static NDArray transpose(Runtime rt, NDArray x) {
        int n = x.getShape().dimension();
        if (n < 2) {
            // PyTorch gives a view of the same elements (recorded: not a leaf when x records gradients)
            return x.reshape(x.getShape());
        }
        int[] axes = new int[n];
        for (int i = 0; i < n; i++) {
            axes[i] = n - 1 - i;
        }
        return x.transpose(axes);
    }

    static NDArray reshape(Runtime rt, NDArray x, Tuple args, String fn) {
        Shape target = Conversions.sizes(args, fn, true);
        long known = 1;
        int unknown = -1;
        long[] dims = target.getShape();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1 && unknown < 0) {
                unknown = i;
            } else {
                known *= dims[i];
            }
        }
        long size = x.size();
        if (unknown >= 0 && known > 0 && size % known == 0) {
            dims[unknown] = size / known;
            known = size;
        }
        if (known != size) {
            throw new CnnException(fn + "() cannot make shape " + TensorFormat.shape(new Shape(target.getShape()))
                    + " from " + size + " elements (shape " + TensorFormat.shape(x.getShape()) + ")");
        }
        return x.reshape(new Shape(dims));
    }

    /** The attribute {@code name} of tensor x, or null when there is none. */
    static Object attribute(Runtime rt, NDArray x, String name) {
        switch (name) {
            case "shape":
                return Tuple.ofLongs(x.getShape().getShape());
            case "T":
                return transpose(rt, x);
            case "ndim":
                return (long) x.getShape().dimension();
            case "dtype":
                return Dtypes.name(x.getDataType());
            case "data":
                return x.stopGradient();
            case "grad":
                return gradient(rt, x);
            case "requires_grad":
                return HostTensors.recordsGradient(x);
            case "is_leaf":
                return HostTensors.isLeaf(x);
            default:
                return null;
        }
    }

    /** PyTorch's x.float(), x.long(), ...: x itself when it has the dtype, else a copy (recorded, for floats). */
    private static NDArray converted(NDArray x, DataType type) {
        return x.getDataType() == type ? x : Promotion.cast(x, type);
    }

    /** PyTorch's x.requires_grad_(requires_grad): its errors, and its no-op on a tensor computed in a graph. */
    private static Object requiresGrad(Runtime rt, Args a) {
        NDArray x = self(a);
        if (!(a.get("requires_grad") instanceof Boolean on)) {
            throw new CnnException("requires_grad_() requires_grad must be a bool, not "
                    + io.cnnscript.value.Values.typeName(a.get("requires_grad")));
        }
        boolean leaf = HostTensors.isLeaf(x);
        if (on) {
            if (!x.getDataType().isFloating()) {
                throw new CnnException("requires_grad_(): only tensors of floating point dtype can require gradients, "
                        + "this one is " + Dtypes.name(x.getDataType()) + "; use .float() first");
            }
            if (leaf) {
                rt.noteAutograd();
                x.setRequiresGradient(true);
            }
        } else {
            if (!leaf) {
                throw new CnnException("requires_grad_(false): you can only change requires_grad flags of leaf "
                        + "variables; this tensor was computed from one that requires grad (use .detach() for its "
                        + "values outside the graph)");
            }
            if (x.getDataType().isFloating()) {
                x.setRequiresGradient(false);
            }
        }
        return x;
    }

    /** PyTorch's x.grad: none until a backward pass has reached the tensor. */
    private static Object gradient(Runtime rt, NDArray x) {
        if (!x.hasGradient()) {
            return NoneValue.NONE;
        }
        NDArray g = Torch.gradient(x);
        if (g == null) {
            return NoneValue.NONE;
        }
        return g;
    }
}

package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Args;
import io.cnnscript.lib.Dtypes;
import io.cnnscript.lib.HostTensors;
import io.cnnscript.lib.NotDifferentiable;
import io.cnnscript.lib.Promotion;
import io.cnnscript.lib.Signature;
import io.cnnscript.value.Callable;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Traversable;
import io.cnnscript.value.Values;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A loss, as PyTorch's loss modules and their functions compute it. {@code CrossEntropy(input,
 * target)} is {@code F.cross_entropy} (class indices or class probabilities, weight, ignore_index,
 * reduction, label_smoothing); {@code MSE} and {@code L1} are {@code F.mse_loss} and
 * {@code F.l1_loss} (input and target broadcast, with PyTorch's warning when their shapes differ).
 * Called without input and target, the built-in gives a loss with those options, as
 * {@code nn.CrossEntropyLoss(reduction="sum")} does; {@code CrossEntropy()} is the loss itself.
 */
final class Loss implements Callable, Values.Named, Traversable {

    enum Kind {
        CROSS_ENTROPY("CrossEntropy", "CrossEntropyLoss",
                "CrossEntropy(input=none, target=none, weight=none, ignore_index=-100, reduction=\"mean\", "
                        + "label_smoothing=0.0)"),
        MSE("MSE", "MSELoss", "MSE(input=none, target=none, reduction=\"mean\")"),
        L1("L1", "L1Loss", "L1(input=none, target=none, reduction=\"mean\")");

        final String name;
        final String torchName;
        final Signature signature;
        final Signature forward;

        Kind(String name, String torchName, String signature) {
            this.name = name;
            this.torchName = torchName;
            this.signature = Signature.parse(signature);
            this.forward = Signature.parse(name + "(input, target)");
        }
    }

    static final Loss CROSS_ENTROPY = new Loss(Kind.CROSS_ENTROPY, "mean", null, -100, 0, true);
    static final Loss MSE = new Loss(Kind.MSE, "mean", null, -100, 0, true);
    static final Loss L1 = new Loss(Kind.L1, "mean", null, -100, 0, true);

    final Kind kind;
    final String reduction;
    private final NDArray weight;
    private final long ignoreIndex;
    private final double labelSmoothing;
    /** The built-in itself, which also takes the options; a loss made with options takes (input, target). */
    private final boolean builtin;

    private Loss(Kind kind, String reduction, NDArray weight, long ignoreIndex, double labelSmoothing, boolean builtin) {
        this.kind = kind;
        this.reduction = reduction;
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
        this.builtin = builtin;
    }

    @Override
    public String name() {
        return kind.name;
    }

    @Override
    public String typeName() {
        return "loss";
    }

    /** PyTorch's repr of the module, which shows none of its options. */
    @Override
    public String toString() {
        return kind.torchName + "()";
    }

    /** The signature binding and docs read. */
    Signature signature() {
        return builtin ? kind.signature : kind.forward;
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {
        if (weight != null) {
            visitor.accept(weight);
        }
    }

    /**
     * {@code CrossEntropy()} is the loss itself; with options only, a loss with those options; with
     * input and target, the loss of them.
     */
    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        if (args.length == 0 && kn.length == 0) {
            return this;
        }
        Args a = signature().bind(args, kn, kv);
        Loss loss = this;
        if (builtin) {
            loss = withOptions(rt, a);
            if (a.isNone("input") && a.isNone("target")) {
                return loss;
            }
            for (String p : new String[] {"input", "target"}) {
                if (a.isNone(p)) {
                    throw new CnnException(name() + "() is missing its argument '" + p + "'; it takes "
                            + signature().text());
                }
            }
        }
        NDArray input = a.tensor("input", name() + "() input");
        NDArray target = a.tensor("target", name() + "() target");
        return rt.adopt(loss.compute(rt, input, target), input, target);
    }

    private Loss withOptions(Runtime rt, Args a) {
        // As in PyTorch, a reduction is checked when the loss is computed (after MSE's warning).
        Object r = a.get("reduction");
        String reductionText = r instanceof String s ? s : Values.repr(r);
        if (kind != Kind.CROSS_ENTROPY) {
            return r.equals("mean") ? this : new Loss(kind, reductionText, null, -100, 0, false);
        }
        NDArray w = a.isNone("weight") ? null : a.tensor("weight", "CrossEntropy() weight");
        long ignore = a.toLong("ignore_index", "CrossEntropy() ignore_index");
        double smoothing = a.toDouble("label_smoothing", "CrossEntropy() label_smoothing");
        if (w == null && ignore == -100 && smoothing == 0 && r.equals("mean")) {
            return this;
        }
        if (w != null) {
            // The loss holds the tensor itself, as PyTorch's buffer does; the sweep finds it through the loss.
            rt.keep(w);
        }
        return new Loss(kind, reductionText, w, ignore, smoothing, false);
    }

    /** The loss of input against target: one number, or one per element with reduction="none". */
    NDArray compute(Runtime rt, NDArray input, NDArray target) {
        if (kind == Kind.CROSS_ENTROPY) {
            checkReduction();
            return crossEntropy(input, target);
        }
        return elementwise(rt, input, target);
    }

    private void checkReduction() {
        if (!(reduction.equals("mean") || reduction.equals("sum") || reduction.equals("none"))) {
            throw new CnnException(name() + "(): " + reduction + " is not a valid value for reduction (\"mean\", "
                    + "\"sum\" or \"none\")");
        }
    }

    // ------------------------------------------------------------------ cross-entropy

    private NDArray crossEntropy(NDArray input, NDArray target) {
        Shape shape = input.getShape();
        int nd = shape.dimension();
        if (nd == 0) {
            throw new CnnException("CrossEntropy expects input of shape (C,), (N, C) or (N, C, d1, ...), got ()");
        }
        DataType type = input.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            throw new CnnException("CrossEntropy expects a float32 or float64 input, got " + Dtypes.name(type));
        }
        int classDim = nd == 1 ? 0 : 1;
        long classes = shape.get(classDim);
        if (weight != null) {
            if (weight.getShape().dimension() != 1 || weight.getShape().get(0) != classes) {
                throw new CnnException("CrossEntropy: weight must hold one value for each of the " + classes
                        + " classes, got shape " + TensorFormat.shape(weight.getShape()));
            }
        }
        if (labelSmoothing > 0 && labelSmoothing > 1) {
            throw new CnnException("CrossEntropy: label_smoothing must be between 0.0 and 1.0, got "
                    + io.cnnscript.value.PyFormat.floatRepr(labelSmoothing));
        }
        if (target.getShape().equals(shape)) {
            return crossEntropyProbabilities(input, target, classDim, classes);
        }
        DataType t = target.getDataType();
        if (t != DataType.INT64 && t != DataType.UINT8) {
            throw new CnnException("CrossEntropy expects class indices (int64) of shape "
                    + TensorFormat.shape(indexShape(shape, classDim)) + " or class probabilities (float) of shape "
                    + TensorFormat.shape(shape) + " as target, got " + Dtypes.name(t) + " of shape "
                    + TensorFormat.shape(target.getShape()) + (t.isInteger() ? ": use .long()" : ""));
        }
        Shape expected = indexShape(shape, classDim);
        if (!target.getShape().equals(expected)) {
            throw new CnnException("CrossEntropy expects target of shape " + TensorFormat.shape(expected)
                    + " for input of shape " + TensorFormat.shape(shape) + ", got " + TensorFormat.shape(target.getShape()));
        }
        if (weight != null && weight.getDataType() != type) {
            throw new CnnException("CrossEntropy: weight is " + Dtypes.name(weight.getDataType()) + " but input is "
                    + Dtypes.name(type) + "; with class indices PyTorch needs one dtype for both");
        }
        return crossEntropyIndices(input, target, classDim, classes);
    }

    /** The shape class indices have for input of this shape: the input's without the class dimension. */
    private static Shape indexShape(Shape shape, int classDim) {
        long[] s = shape.getShape();
        long[] out = new long[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i != classDim) {
                out[j++] = s[i];
            }
        }
        return new Shape(out);
    }

    /** weight shaped to broadcast along the class dimension of an input of nd dimensions. */
    private NDArray weightAlongClasses(int nd, int classDim) {
        long[] s = new long[nd];
        Arrays.fill(s, 1);
        s[classDim] = weight.getShape().get(0);
        return weight.reshape(s);
    }

    /** PyTorch's cross_entropy_loss_prob_target. */
    private NDArray crossEntropyProbabilities(NDArray input, NDArray target, int classDim, long classes) {
        if (!target.getDataType().isFloating()) {
            throw new CnnException("CrossEntropy: a target of the input's shape " + TensorFormat.shape(input.getShape())
                    + " holds class probabilities and must be float, got " + Dtypes.name(target.getDataType()));
        }
        if (ignoreIndex >= 0) {
            throw new CnnException("CrossEntropy: ignore_index is not supported for class-probability targets "
                    + "(a float target of the input's shape), as in PyTorch");
        }
        int nd = input.getShape().dimension();
        try (NDArray logp = input.logSoftmax(classDim);
                NDArray smoothed = labelSmoothing > 0 ? plus(times(target, 1 - labelSmoothing), labelSmoothing / classes) : null;
                NDArray p = logp.mul(smoothed == null ? target : smoothed);
                NDArray w = weight == null ? null : weightAlongClasses(nd, classDim);
                NDArray terms = w == null ? null : p.mul(w)) {
            NDArray all = terms == null ? p : terms;
            switch (reduction) {
                case "none":
                    try (NDArray s = all.sum(new int[] {classDim})) {
                        return s.neg();
                    }
                case "sum":
                    try (NDArray s = all.sum()) {
                        return s.neg();
                    }
                default:
                    long n = input.size();
                    try (NDArray s = all.sum(); NDArray neg = s.neg()) {
                        // PyTorch divides by the number of examples (input.numel() / classes); none gives nan.
                        try (NDArray k = scalar(neg, n == 0 ? 0 : n / classes)) {
                            return neg.div(k);
                        }
                    }
            }
        }
    }

    /** PyTorch's nll_loss of log_softmax, with cross_entropy_loss_label_smoothing's term when asked. */
    private NDArray crossEntropyIndices(NDArray input, NDArray target, int classDim, long classes) {
        NDManager m = input.getManager();
        Shape ts = target.getShape();
        long[] values;
        try (NDArray longs = target.toType(DataType.INT64, true)) {
            values = longs.toLongArray();
        }
        long[] safe = new long[values.length];
        boolean[] kept = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            long v = values[i];
            kept[i] = v != ignoreIndex;
            if (kept[i] && (v < 0 || v >= classes)) {
                throw new CnnException("CrossEntropy: target " + v + " is out of bounds for " + classes + " classes"
                        + (classes > 0 ? " (0 to " + (classes - 1) + ")" : ""));
            }
            safe[i] = kept[i] ? v : 0;
        }
        int nd = input.getShape().dimension();
        DataType type = input.getDataType();
        try (NDArray index = m.create(safe, ts);
                NDArray keep = m.create(kept, ts);
                NDArray zero = m.zeros(new Shape(), type);
                NDArray logp = input.logSoftmax(classDim);
                NDArray gatherIndex = nd == 1 ? index.reshape(1) : index.expandDims(1);
                NDArray gathered = logp.gather(gatherIndex, classDim);
                NDArray picked = gathered.reshape(ts);
                NDArray flat = weight == null ? null : index.flatten();
                NDArray wFlat = weight == null ? null : weight.gather(flat, 0);
                NDArray w = weight == null ? m.ones(ts, type) : wFlat.reshape(ts);
                NDArray wKept = NDArrays.where(keep, w, zero);
                NDArray weighted = picked.mul(w);
                NDArray negated = weighted.neg()) {
            NDArray nll = reduce(NDArrays.where(keep, negated, zero), wKept);
            if (!(labelSmoothing > 0)) {
                return nll;
            }
            try (NDArray nllOwned = nll;
                    NDArray wc = weight == null ? null : weightAlongClasses(nd, classDim);
                    NDArray terms = wc == null ? null : logp.mul(wc);
                    NDArray summed = (terms == null ? logp : terms).sum(new int[] {classDim});
                    NDArray smoothAll = summed.neg();
                    // Mean divides by the total weight of the targets kept (their count without weight).
                    NDArray ret = reduce(NDArrays.where(keep, smoothAll, zero), wKept);
                    NDArray a = times(nllOwned, 1 - labelSmoothing);
                    NDArray b = times(ret, labelSmoothing / classes)) {
                return a.add(b);
            }
        }
    }

    /** a * v, v taken in a's dtype as PyTorch takes a Python number (a 0-d float32 loss stays float32). */
    private static NDArray times(NDArray a, double v) {
        try (NDArray s = scalar(a, v)) {
            return a.mul(s);
        }
    }

    private static NDArray plus(NDArray a, double v) {
        try (NDArray s = scalar(a, v); NDArray owned = a) {
            return a.add(s);
        }
    }

    private static NDArray scalar(NDArray like, double v) {
        try (NDArray d = like.getManager().create(v)) {
            return d.toType(like.getDataType(), true);
        }
    }

    /**
     * none: the values themselves; sum: their sum; mean: their sum over the total weight (as
     * nll_loss). Takes values: it is closed unless it is the result.
     */
    private NDArray reduce(NDArray values, NDArray totalWeight) {
        if (reduction.equals("none")) {
            return values;
        }
        try (values) {
            if (reduction.equals("sum")) {
                return values.sum();
            }
            try (NDArray s = values.sum(); NDArray t = totalWeight.sum()) {
                return s.div(t);
            }
        }
    }

    // ------------------------------------------------------------------ MSE and L1

    /** torch.Size's text, for PyTorch's warning. */
    private static String torchSize(Shape s) {
        StringBuilder b = new StringBuilder("torch.Size([");
        for (int i = 0; i < s.dimension(); i++) {
            b.append(i > 0 ? ", " : "").append(s.get(i));
        }
        return b.append("])").toString();
    }

    /**
     * PyTorch's mse_loss and l1_loss: a warning when the shapes differ, then input and target
     * broadcast together, in the dtype both promote to (which must be a float type for MSE, and
     * for L1's mean).
     */
    private NDArray elementwise(Runtime rt, NDArray input, NDArray target) {
        if (!input.getShape().equals(target.getShape()) && rt != null) {
            rt.warn("UserWarning", "Using a target size (" + torchSize(target.getShape())
                    + ") that is different to the input size (" + torchSize(input.getShape()) + "). This will likely "
                    + "lead to incorrect results due to broadcasting. Please ensure they have the same size.");
        }
        if (rt != null) {
            checkReduction();
        }
        long[] a = input.getShape().getShape();
        long[] b = target.getShape().getShape();
        double elements = 1;
        for (int i = 1; i <= Math.max(a.length, b.length); i++) {
            long p = i <= a.length ? a[a.length - i] : 1;
            long q = i <= b.length ? b[b.length - i] : 1;
            if (p != q && p != 1 && q != 1) {
                throw new CnnException(name() + ": the shapes of input " + TensorFormat.shape(input.getShape())
                        + " and target " + TensorFormat.shape(target.getShape()) + " do not broadcast: the size of input ("
                        + p + ") must match the size of target (" + q + ") at dimension -" + i);
            }
            elements *= p == 1 ? q : p;
        }
        DataType type = Promotion.promote(input.getDataType(), target.getDataType());
        if (kind == Kind.MSE && !type.isFloating()) {
            throw new CnnException("MSE needs float tensors, as in PyTorch; input is " + Dtypes.name(input.getDataType())
                    + " and target is " + Dtypes.name(target.getDataType()) + ": use .float()");
        }
        if (kind == Kind.L1 && (input.getDataType() == DataType.BOOLEAN || target.getDataType() == DataType.BOOLEAN)) {
            // PyTorch 1.13's l1_loss is (input - target).abs(), and - refuses bool tensors.
            throw new CnnException("L1 of a bool tensor: PyTorch subtracts, and - refuses bool tensors; use .float()");
        }
        if (kind == Kind.L1 && !type.isFloating() && reduction.equals("mean")) {
            throw new CnnException("L1 with reduction=\"mean\" needs a float tensor, as in PyTorch; input is "
                    + Dtypes.name(input.getDataType()) + " and target is " + Dtypes.name(target.getDataType())
                    + ": use .float()");
        }
        if (rt != null) {
            rt.checkNew(name() + " of shapes " + TensorFormat.shape(input.getShape()) + " and "
                    + TensorFormat.shape(target.getShape()), elements, type.getNumOfBytes());
        }
        if (kind == Kind.MSE && input.getDataType() != target.getDataType() && rt != null
                && NotDifferentiable.recordsGradient(input, target)) {
            // PyTorch 1.13 computes MSE of two dtypes, but its backward refuses them.
            boolean inputGrad = HostTensors.recordsGradient(input);
            DataType expected = (inputGrad ? input : target).getDataType();
            DataType found = (inputGrad ? target : input).getDataType();
            try (NDArray u = input.stopGradient(); NDArray v = target.stopGradient(); NDArray value = elementwise(null, u, v)) {
                return NotDifferentiable.mark(rt, value, "Found dtype " + NotDifferentiable.torchName(found)
                        + " but expected " + NotDifferentiable.torchName(expected));
            }
        }
        NDArray x = input.getDataType() == type ? input : Promotion.cast(input, type);
        NDArray y = target.getDataType() == type ? target : Promotion.cast(target, type);
        try (NDArray diff = x.sub(y)) {
            NDArray e = kind == Kind.MSE ? diff.square() : diff.abs();
            if (reduction.equals("none")) {
                return e;
            }
            try (e) {
                return reduction.equals("sum") ? e.sum() : e.mean();
            }
        } finally {
            if (x != input) {
                x.close();
            }
            if (y != target) {
                y.close();
            }
        }
    }
}

package io.cnnscript.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Args;
import io.cnnscript.lib.Dtypes;
import io.cnnscript.lib.Errors;
import io.cnnscript.lib.NotDifferentiable;
import io.cnnscript.lib.Promotion;
import io.cnnscript.lib.Signature;
import io.cnnscript.value.Callable;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Values;

/**
 * A loss: {@code CrossEntropy(y_hat, y)} gives the mean cross-entropy of logits y_hat (N, C)
 * against int labels y (N), as PyTorch's CrossEntropyLoss; {@code MSE(y_hat, y)} the mean
 * squared error. {@code CrossEntropy()} is the loss itself, as {@code nn.CrossEntropyLoss()}.
 */
final class Loss implements Callable, Values.Named {

    enum Kind { CROSS_ENTROPY, MSE }

    static final Loss CROSS_ENTROPY = new Loss(Kind.CROSS_ENTROPY);
    static final Loss MSE = new Loss(Kind.MSE);

    final Kind kind;

    private Loss(Kind kind) {
        this.kind = kind;
    }

    @Override
    public String name() {
        return kind == Kind.CROSS_ENTROPY ? "CrossEntropy" : "MSE";
    }

    @Override
    public String typeName() {
        return "loss";
    }

    @Override
    public String toString() {
        return kind == Kind.CROSS_ENTROPY ? "CrossEntropyLoss()" : "MSELoss()";
    }

    private static final Signature CROSS_ENTROPY_SIGNATURE = Signature.parse("CrossEntropy(y_hat, y)");
    private static final Signature MSE_SIGNATURE = Signature.parse("MSE(y_hat, y)");

    /** {@code CrossEntropy(y_hat, y)}: the one text binding and docs read. */
    Signature signature() {
        return kind == Kind.CROSS_ENTROPY ? CROSS_ENTROPY_SIGNATURE : MSE_SIGNATURE;
    }

    /** {@code CrossEntropy()} is the loss itself; with arguments, it computes. */
    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        if (args.length == 0 && kn.length == 0) {
            return this;
        }
        Args a = signature().bind(args, kn, kv);
        NDArray yHat = a.tensor("y_hat", name() + "() y_hat");
        NDArray y = a.tensor("y", name() + "() y");
        return rt.adopt(compute(rt, yHat, y), yHat, y);
    }

    /** The loss as a one-element tensor in y_hat's manager. */
    NDArray compute(Runtime rt, NDArray yHat, NDArray y) {
        return kind == Kind.CROSS_ENTROPY ? crossEntropy(yHat, y) : mse(rt, yHat, y);
    }

    private NDArray crossEntropy(NDArray yHat, NDArray y) {
        if (yHat.getShape().dimension() != 2) {
            throw new CnnException("CrossEntropy expects y_hat of shape (N, classes), got "
                    + TensorFormat.shape(yHat.getShape()));
        }
        long n = yHat.getShape().get(0);
        long classes = yHat.getShape().get(1);
        if (y.getShape().dimension() != 1 || y.getShape().get(0) != n) {
            throw new CnnException("CrossEntropy expects labels y of shape (" + n + ",) for y_hat of shape "
                    + TensorFormat.shape(yHat.getShape()) + ", got " + TensorFormat.shape(y.getShape()));
        }
        if (y.getDataType() != DataType.INT64 && y.getDataType() != DataType.INT32) {
            throw new CnnException("CrossEntropy expects int labels y, got " + Dtypes.name(y.getDataType()));
        }
        if (!yHat.getDataType().isFloating()) {
            throw new CnnException("CrossEntropy expects float y_hat, got " + Dtypes.name(yHat.getDataType()));
        }
        try (NDArray labels = y.getDataType() == DataType.INT64 ? null : y.toType(DataType.INT64, false);
                NDArray index = (labels == null ? y : labels).reshape(n, 1)) {
            try (NDArray logp = yHat.logSoftmax(1); NDArray picked = logp.gather(index, 1);
                 NDArray mean = picked.mean()) {
                return mean.neg();
            }
        } catch (EngineException e) {
            throw new CnnException("CrossEntropy: labels must be between 0 and " + (classes - 1) + " ("
                    + Errors.firstLine(e) + ")");
        }
    }

    /**
     * PyTorch's MSELoss: y_hat and y broadcast together (PyTorch warns when their shapes differ,
     * and computes), in the dtype both promote to, which must be a float type.
     */
    private NDArray mse(Runtime rt, NDArray yHat, NDArray y) {
        long[] a = yHat.getShape().getShape();
        long[] b = y.getShape().getShape();
        double elements = 1;
        for (int i = 1; i <= Math.max(a.length, b.length); i++) {
            long p = i <= a.length ? a[a.length - i] : 1;
            long q = i <= b.length ? b[b.length - i] : 1;
            if (p != q && p != 1 && q != 1) {
                throw new CnnException("MSE: the shapes of y_hat " + TensorFormat.shape(yHat.getShape()) + " and y "
                        + TensorFormat.shape(y.getShape()) + " do not broadcast: the size of y_hat (" + p
                        + ") must match the size of y (" + q + ") at dimension -" + i);
            }
            elements *= p == 1 ? q : p;
        }
        DataType type = Promotion.promote(yHat.getDataType(), y.getDataType());
        if (!type.isFloating()) {
            throw new CnnException("MSE needs float tensors, as in PyTorch; y_hat is " + Dtypes.name(yHat.getDataType())
                    + " and y is " + Dtypes.name(y.getDataType()) + ": use .float()");
        }
        if (rt != null) {
            rt.checkNew("MSE of shapes " + TensorFormat.shape(yHat.getShape()) + " and "
                    + TensorFormat.shape(y.getShape()), elements, type.getNumOfBytes());
        }
        if (yHat.getDataType() != y.getDataType() && rt != null && NotDifferentiable.recordsGradient(yHat, y)) {
            // PyTorch 1.13 computes MSE of two dtypes, but its backward refuses them.
            boolean inputGrad = io.cnnscript.lib.HostTensors.recordsGradient(yHat);
            DataType expected = (inputGrad ? yHat : y).getDataType();
            DataType found = (inputGrad ? y : yHat).getDataType();
            try (NDArray u = yHat.stopGradient(); NDArray v = y.stopGradient(); NDArray value = mse(null, u, v)) {
                return NotDifferentiable.mark(rt, value, "Found dtype " + NotDifferentiable.torchName(found)
                        + " but expected " + NotDifferentiable.torchName(expected));
            }
        }
        NDArray input = yHat.getDataType() == type ? yHat : yHat.toType(type, false);
        NDArray target = y.getDataType() == type ? y : y.toType(type, false);
        try (NDArray diff = input.sub(target); NDArray sq = diff.square()) {
            return sq.mean();
        } finally {
            if (input != yHat) {
                input.close();
            }
            if (target != y) {
                target.close();
            }
        }
    }
}

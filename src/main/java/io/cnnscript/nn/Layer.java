package io.cnnscript.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.api.CnnException;
import io.cnnscript.lib.Errors;
import io.cnnscript.value.Callable;
import io.cnnscript.value.HasMembers;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Traversable;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A layer value: callable on a tensor, printable as PyTorch prints the module, with named
 * parameters. A {@link Sequential} is a layer whose children are layers.
 */
public abstract class Layer implements Callable, HasMembers, Traversable, Values.Named {

    /** A named tensor of a layer: a trainable parameter or, with trainable false, a buffer. */
    public record Param(String name, NDArray value, boolean trainable) {}

    /** PyTorch's default: a new module is in training mode. */
    boolean training = true;

    /** The module's text, e.g. {@code Linear(in_features=256, out_features=120, bias=True)}. */
    @Override
    public abstract String toString();

    /**
     * Checks that an input of shape {@code in} fits; returns null when it does, otherwise why
     * not (without the layer's name, which the caller adds).
     */
    abstract String mismatch(Shape in);

    /** Like {@link #mismatch(Shape)} for the input's dtype. */
    String mismatch(ai.djl.ndarray.types.DataType type) {
        return null;
    }

    /** Runs the layer; the input has passed {@link #mismatch}. Results go to the input's manager. */
    abstract NDArray forward(Runtime rt, NDArray x, boolean training);

    /** Tensors this layer holds, parameters first, in PyTorch's order; empty before first use. */
    List<Param> state() {
        return List.of();
    }

    /** The trainable parameters (PyTorch's {@code parameters()}). */
    final List<Param> parameters() {
        List<Param> out = new ArrayList<>();
        for (Param p : state()) {
            if (p.trainable()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Makes the parameters from the layer's declared sizes if no input has made them yet. */
    void materialize(Runtime rt) {}

    /** False until the layer has made its parameters from the shape of its first input. */
    boolean initialized() {
        return true;
    }

    /** Runs this layer on x with its checks: a clear error instead of a libtorch one. */
    final NDArray apply(Runtime rt, NDArray x, boolean training, String where) {
        String why = mismatch(x.getShape());
        if (why == null) {
            why = mismatch(x.getDataType());
        }
        if (why != null) {
            throw new CnnException(where + this + " " + why);
        }
        try {
            return forward(rt, x, training);
        } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
            throw new CnnException(where + this + " failed on an input of shape "
                    + TensorFormat.shape(x.getShape()) + ": " + Errors.firstLine(e));
        }
    }

    @Override
    public String typeName() {
        return "layer";
    }

    @Override
    public String name() {
        String s = toString();
        int p = s.indexOf('(');
        return p < 0 ? s : s.substring(0, p);
    }

    /** {@code layer(X)}: the forward pass; the result belongs to the running statement. */
    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        if (args.length != 1 || kn.length != 0) {
            throw new CnnException(name() + " is a layer: call it on one tensor, e.g. " + name() + "(X)");
        }
        NDArray x = io.cnnscript.lib.Conversions.tensor(args[0], name() + "() input");
        return rt.own(Sequential.run(rt, List.of(this), x, training, true));
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        if (name.equals("training")) {
            return training;
        }
        for (Param p : state()) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        return null;
    }

    @Override
    public Object callMethod(Runtime rt, String name, Object[] args, String[] kn, Object[] kv) {
        switch (name) {
            case "parameters":
                materialize(rt);
                return paramList(parameters());
            case "zero_grad":
                zeroGrad(parameters());
                return NoneValue.NONE;
            case "train":
                setTraining(args.length == 0 || Values.truthy(args[0]));
                return NoneValue.NONE;
            case "eval":
                setTraining(false);
                return NoneValue.NONE;
            default:
                return null;
        }
    }

    void setTraining(boolean on) {
        training = on;
    }

    static PyList paramList(List<Param> params) {
        List<Object> out = new ArrayList<>();
        for (Param p : params) {
            out.add(Tuple.of(p.name(), p.value()));
        }
        return new PyList(out);
    }

    static void zeroGrad(List<Param> params) {
        for (Param p : params) {
            if (p.value().hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) p.value());
            }
        }
    }

    @Override
    public List<String> memberNames() {
        List<String> out = new ArrayList<>(List.of("parameters", "zero_grad", "train", "eval", "training"));
        for (Param p : state()) {
            out.add(p.name());
        }
        return out;
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {}
}

package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Args;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.GradMode;
import io.cnnscript.lib.Signature;
import io.cnnscript.lib.Torch;
import io.cnnscript.value.HasMembers;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyFormat;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Traversable;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An optimizer (Adam, SGD) over DJL's update rules. It updates the parameters it is bound to:
 * those given as {@code params=} (a network, a layer, tensors or net.parameters()), or the
 * network train() runs it on. Its state (Adam's moments) is kept per parameter.
 */
final class OptimizerValue implements HasMembers, Traversable, Values.Named {

    private final Optimizer optimizer;
    private final String text;
    private final Map<NDArray, String> ids = new IdentityHashMap<>();
    private final List<Object> targets = new ArrayList<>();

    OptimizerValue(Optimizer optimizer, String text) {
        this.optimizer = optimizer;
        this.text = text;
    }

    @Override
    public String typeName() {
        return "optimizer";
    }

    @Override
    public String toString() {
        return text;
    }

    static String num(double d) {
        return PyFormat.floatRepr(d);
    }

    /** Binds the optimizer to what it updates (a network, a layer, tensors, or (name, tensor) pairs). */
    void bind(Object what) {
        if (Conversions.isNone(what)) {
            return;
        }
        if (what instanceof Layer) {
            Layer l = Sequential.toLayer(what);
            if (!targets.contains(l)) {
                targets.add(l);
            }
        } else if (what instanceof NDArray a) {
            if (!a.hasGradient()) {
                throw new CnnException("the optimizer's params must be param() tensors or layers");
            }
            targets.add(a);
        } else if (what instanceof PyList || what instanceof Tuple) {
            for (Object item : Conversions.sequence(what, "params")) {
                if (item instanceof Tuple t && t.size() == 2 && t.get(1) instanceof NDArray) {
                    bind(t.get(1));
                } else {
                    bind(item);
                }
            }
        } else {
            throw new CnnException("params must be a network, a layer, or a list of param() tensors, not a "
                    + Values.typeName(what));
        }
    }

    boolean isBound() {
        return !targets.isEmpty();
    }

    /** The tensors to update: the bound ones and those of extra. */
    List<NDArray> parameters(List<Object> extra) {
        List<NDArray> out = new ArrayList<>();
        List<Object> all = new ArrayList<>(targets);
        all.addAll(extra);
        for (Object t : all) {
            if (t instanceof Layer l) {
                for (Layer.Param p : l.parameters()) {
                    out.add(p.value());
                }
            } else if (t instanceof NDArray a) {
                out.add(a);
            }
        }
        return out;
    }

    /** One update of every parameter that has a gradient; gradients are left as they are. */
    void step(List<NDArray> params) {
        try (GradMode g = GradMode.disabled()) {
            for (NDArray p : params) {
                update(p);
            }
        }
    }

    private void update(NDArray p) {
        if (!p.hasGradient()) {
            return;
        }
        String id = ids.computeIfAbsent(p, k -> "p" + ids.size());
        try (NDArray g = p.getGradient(); NDArray kept = g.duplicate()) {
            optimizer.update(id, p, g);
            // DJL's PyTorch optimizers zero the gradient after updating (MXNet's convention);
            // PyTorch's optimizer.step() leaves it, so it is put back as it was.
            long n = g.size();
            if (n > 0) {
                try (NDArray to = g.reshape(n); NDArray from = kept.reshape(n)) {
                    Torch.indexSet(to, from, new long[] {0}, new long[] {n}, new long[] {1});
                }
            }
        }
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        return null;
    }

    @Override
    public Object callMethod(Runtime rt, String name, Object[] args, String[] kn, Object[] kv) {
        Signature signature = METHOD_SIGNATURES.get(name);
        if (signature == null) {
            return null;
        }
        Args a = signature.bind(args, kn, kv);
        if (name.equals("step")) {
            step(parametersOrFail(a.rest("params").asList()));
            return NoneValue.NONE;
        }
        Layer.noSetToNone(a);
        for (NDArray p : parametersOrFail(a.rest("params").asList())) {
            if (p.hasGradient()) {
                Torch.zeroGrad(p);
            }
        }
        return NoneValue.NONE;
    }

    /**
     * PyTorch's optimizer methods; the networks or param() tensors given are updated or cleared
     * beside those the optimizer is bound to, as the step(opt, net) built-in does.
     */
    private static final Map<String, Signature> METHOD_SIGNATURES =
            Layer.signatures("step(*params)", "zero_grad(*params, set_to_none=false)");

    List<NDArray> parametersOrFail(List<Object> extra) {
        List<Object> layers = new ArrayList<>();
        for (Object e : extra) {
            layers.add(e instanceof NDArray ? e : Sequential.toLayer(e));
        }
        if (targets.isEmpty() && layers.isEmpty()) {
            throw new CnnException("this optimizer is not bound to any parameters: make it with params=net, "
                    + "e.g. Adam(lr=0.001, params=net), or say what to update: step(opt, net)");
        }
        return parameters(layers);
    }

    @Override
    public List<String> memberNames() {
        return List.of("step", "zero_grad");
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {
        targets.forEach(visitor);
    }
}

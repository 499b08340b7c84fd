package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
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
 * An optimizer (Adam, SGD) with PyTorch 1.13's update rules (torch.optim's single-tensor loops,
 * step for step: weight decay added to the gradient, SGD's momentum buffer with dampening and
 * Nesterov, Adam's bias corrections with eps added after them, amsgrad, maximize). It updates the
 * parameters it is bound to: those given as {@code params=} (a network, a layer, tensors or
 * net.parameters()), or the network train() runs it on. Its state (momentum buffers, Adam's
 * moments and step counts) is kept per parameter, in the parameter's manager.
 */
final class OptimizerValue implements HasMembers, Traversable, Values.Named {

    /** One algorithm's update of one parameter p from its gradient g, with p's state. */
    interface Rule {
        void update(State s, NDArray p, NDArray g);
    }

    /** What an optimizer keeps for one parameter (PyTorch's optimizer.state[p]). */
    static final class State {
        long step;
        NDArray momentumBuffer;
        NDArray expAvg;
        NDArray expAvgSq;
        NDArray maxExpAvgSq;
    }

    private final Rule rule;
    private final String text;
    private final Map<NDArray, State> states = new IdentityHashMap<>();
    private final List<Object> targets = new ArrayList<>();

    OptimizerValue(Rule rule, String text) {
        this.rule = rule;
        this.text = text;
    }

    /** A number as PyTorch passes a Python float into a kernel on t: float32 for a float32 tensor. */
    private static Number in(NDArray t, double v) {
        return t.getDataType() == ai.djl.ndarray.types.DataType.FLOAT64 ? (Number) v : (Number) (float) v;
    }

    /** g, or -g with maximize, plus weight_decay * p: a new tensor the caller closes. */
    private static NDArray decayed(NDArray p, NDArray g, double weightDecay, boolean maximize) {
        NDArray d = maximize ? g.neg() : g.duplicate();
        if (weightDecay != 0) {
            try (NDArray wp = p.mul(in(p, weightDecay))) {
                d.addi(wp);
            }
        }
        return d;
    }

    /** torch.optim.SGD's _single_tensor_sgd. */
    static Rule sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
            boolean maximize) {
        return (s, p, g) -> {
            try (NDArray d = decayed(p, g, weightDecay, maximize)) {
                NDArray step = d;
                NDArray nest = null;
                if (momentum != 0) {
                    if (s.momentumBuffer == null) {
                        s.momentumBuffer = d.duplicate();
                    } else {
                        s.momentumBuffer.muli(in(p, momentum));
                        try (NDArray part = d.mul(in(p, 1 - dampening))) {
                            s.momentumBuffer.addi(part);
                        }
                    }
                    if (nesterov) {
                        try (NDArray m = s.momentumBuffer.mul(in(p, momentum))) {
                            nest = d.add(m);
                        }
                        step = nest;
                    } else {
                        step = s.momentumBuffer;
                    }
                }
                try (NDArray scaled = step.mul(in(p, -lr))) {
                    p.addi(scaled);
                } finally {
                    if (nest != null) {
                        nest.close();
                    }
                }
            }
        };
    }

    /** torch.optim.Adam's _single_tensor_adam. */
    static Rule adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
            boolean maximize) {
        return (s, p, g) -> {
            if (s.expAvg == null) {
                s.expAvg = p.zerosLike();
                s.expAvgSq = p.zerosLike();
                if (amsgrad) {
                    s.maxExpAvgSq = p.zerosLike();
                }
            }
            try (NDArray d = decayed(p, g, weightDecay, maximize);
                    NDArray part = d.mul(in(p, 1 - beta1));
                    NDArray sq = d.mul(in(p, 1 - beta2))) {
                s.step++;
                s.expAvg.muli(in(p, beta1)).addi(part);
                sq.muli(d);
                s.expAvgSq.muli(in(p, beta2)).addi(sq);
            }
            double biasCorrection1 = 1 - Math.pow(beta1, s.step);
            double biasCorrection2 = 1 - Math.pow(beta2, s.step);
            double stepSize = lr / biasCorrection1;
            double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
            NDArray second = s.expAvgSq;
            if (amsgrad) {
                NDArray max = s.maxExpAvgSq.maximum(s.expAvgSq);
                s.maxExpAvgSq.close();
                s.maxExpAvgSq = max;
                second = max;
            }
            // param.addcdiv_(exp_avg, denom, value=-step_size): value * exp_avg / denom, in that order
            try (NDArray root = second.sqrt();
                    NDArray denom = root.div(in(p, biasCorrection2Sqrt));
                    NDArray shifted = denom.add(in(p, eps));
                    NDArray scaled = s.expAvg.mul(in(p, -stepSize));
                    NDArray ratio = scaled.div(shifted)) {
                p.addi(ratio);
            }
        };
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
        State state = states.computeIfAbsent(p, k -> new State());
        try (NDArray g = p.getGradient()) {
            rule.update(state, p, g);
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

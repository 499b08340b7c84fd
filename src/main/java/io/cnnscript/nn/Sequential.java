package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.api.CnnException;
import io.cnnscript.lib.Conversions;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.ScriptLayer;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * Layers run one after the other: what {@code a >> b} and {@code Sequential(a, b)} make. It is
 * flat: composing a network with more layers copies its children, so {@code (a >> b) >> c} has
 * three children and parameter names {@code 0.weight}, {@code 2.bias}, ... as PyTorch gives them.
 * The children are shared, not copied: a layer in two networks has one set of parameters.
 */
public final class Sequential extends Layer {

    final List<Layer> children;

    Sequential(List<Layer> children) {
        this.children = Collections.unmodifiableList(new ArrayList<>(children));
    }

    /** A network of the given values, each a layer, a script layer or a network (whose children it takes). */
    static Sequential of(List<Object> parts) {
        List<Layer> out = new ArrayList<>();
        for (Object p : parts) {
            Layer l = toLayer(p);
            if (l instanceof Sequential s) {
                out.addAll(s.children);
            } else {
                out.add(l);
            }
        }
        return new Sequential(out);
    }

    /** A value as a layer, or a clear error saying what is not one. */
    static Layer toLayer(Object v) {
        if (v instanceof Layer l) {
            return l;
        }
        if (v instanceof ScriptLayer s) {
            return new ScriptLayerAdapter(s);
        }
        if ("layer type".equals(Values.typeName(v))) {
            throw new CnnException(((io.cnnscript.value.Callable) v).name() + " is a layer type, not a layer: make one first, e.g. "
                    + ((io.cnnscript.value.Callable) v).name() + "(...)");
        }
        throw new CnnException(Values.aTypeName(v) + " is not a layer; networks are made of layers, e.g. "
                + "Conv(1, 6, 5) >> Sigmoid >> MaxPool(2, 2)");
    }

    @Override
    public String typeName() {
        return "network";
    }

    @Override
    public String name() {
        return "Sequential";
    }

    /** PyTorch's module layout: one line per child, numbered. */
    @Override
    public String toString() {
        if (children.isEmpty()) {
            return "Sequential()";
        }
        StringBuilder sb = new StringBuilder("Sequential(\n");
        for (int i = 0; i < children.size(); i++) {
            String child = children.get(i).toString().replace("\n", "\n  ");
            sb.append("  (").append(i).append("): ").append(child).append('\n');
        }
        return sb.append(')').toString();
    }

    @Override
    String mismatch(Shape in) {
        return null;
    }

    @Override
    NDArray forward(Runtime rt, NDArray x, boolean training) {
        return run(rt, children, x, training, false);
    }

    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        if (args.length != 1 || kn.length != 0) {
            throw new CnnException("a network is called on one tensor, e.g. net(X)");
        }
        NDArray x = Conversions.tensor(args[0], "the network's input");
        return rt.own(run(rt, children, x, training, true));
    }

    /**
     * Runs layers in order. An error names the layer, its index and the shapes. With
     * {@code own}, every intermediate result moves into the running statement's scope (a call
     * from a script); without, results stay in the input's manager (a training step's).
     */
    static NDArray run(Runtime rt, List<Layer> layers, NDArray x, boolean training, boolean own) {
        NDArray y = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String where = layers.size() > 1 || l instanceof Sequential ? "layer " + i + ": " : "";
            if (l instanceof Sequential s) {
                y = run(rt, s.children, y, training, own);
            } else {
                y = l.apply(rt, y, training, where);
            }
            if (own) {
                y = rt.own(y);
            }
        }
        return y;
    }

    @Override
    List<Param> state() {
        List<Param> out = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            for (Param p : children.get(i).state()) {
                out.add(new Param(i + "." + p.name(), p.value(), p.trainable()));
            }
        }
        return out;
    }

    @Override
    void materialize(Runtime rt) {
        for (Layer l : children) {
            l.materialize(rt);
        }
    }

    @Override
    boolean initialized() {
        for (Layer l : children) {
            if (!l.initialized()) {
                return false;
            }
        }
        return true;
    }

    @Override
    void setTraining(boolean on) {
        training = on;
        for (Layer l : children) {
            l.setTraining(on);
        }
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        if (name.equals("children")) {
            return new io.cnnscript.value.PyList(new ArrayList<>(children));
        }
        return super.attribute(rt, name);
    }

    @Override
    public List<String> memberNames() {
        List<String> out = new ArrayList<>(super.memberNames());
        out.add("children");
        return out;
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {
        for (Layer l : children) {
            visitor.accept(l);
        }
    }
}

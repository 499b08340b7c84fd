package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Args;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.Signature;
import io.cnnscript.lib.SliceSpec;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Layers run one after the other: PyTorch's {@code nn.Sequential}. Its children are named
 * {@code 0}, {@code 1}, ... unless {@code add_module(name, layer)} named them. {@code a >> b} is
 * flat: composing a network with more layers takes its children, so {@code (a >> b) >> c} has
 * three. {@code Sequential(a, b)} nests as PyTorch's does: a network given to it is one child.
 * The children are shared, not copied: a layer in two networks has one set of parameters.
 */
public final class Sequential extends Layer {

    private final List<Layer> layers = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    Sequential() {}

    /** {@code Sequential(a, b, ...)}: each value one child, in order, as PyTorch makes it. */
    static Sequential nested(List<Object> parts) {
        Sequential s = new Sequential();
        for (Object p : parts) {
            s.add(String.valueOf(s.layers.size()), toLayer(p));
        }
        return s;
    }

    /** {@code a >> b}: the layers of both, a network contributing its children (renumbered, named ones kept). */
    static Sequential of(List<Object> parts) {
        Sequential s = new Sequential();
        for (Object p : parts) {
            Layer l = toLayer(p);
            if (l instanceof Sequential net) {
                for (int i = 0; i < net.layers.size(); i++) {
                    String name = net.names.get(i);
                    s.add(isIndex(name) ? String.valueOf(s.layers.size()) : name, net.layers.get(i));
                }
            } else {
                s.add(String.valueOf(s.layers.size()), l);
            }
        }
        return s;
    }

    private static boolean isIndex(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** Adds a child; a name already taken or a layer that holds this network is an error. */
    void add(String name, Layer l) {
        int at = names.indexOf(name);
        if (at >= 0) {
            throw new CnnException("this network already has a child named '" + name + "' (" + layers.get(at).describe()
                    + "); two children cannot share a name");
        }
        if (l.contains(this)) {
            throw new CnnException("cannot add " + l.name() + " to a network it contains: a network must be a tree");
        }
        layers.add(l);
        names.add(name);
    }

    /** The layers in order. */
    List<Layer> layers() {
        return layers;
    }

    /** A value as a layer, or a clear error saying what is not one. */
    static Layer toLayer(Object v) {
        if (v instanceof Layer l) {
            return l;
        }
        if (v instanceof Layer.Type t) {
            throw new CnnException(t.name() + " is a layer type, not a layer: make one first, e.g. " + t.name() + "(...)");
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

    @Override
    protected String text() {
        return "Sequential()";
    }

    @Override
    public List<Child> children() {
        List<Child> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            out.add(new Child(names.get(i), layers.get(i)));
        }
        return out;
    }

    @Override
    protected String mismatch(Shape in) {
        return null;
    }

    @Override
    protected NDArray forward(Runtime rt, NDArray x, boolean training) {
        return run(rt, layers, x, training, false);
    }

    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        NDArray x = forwardSignature().bind(args, kn, kv).tensor("input", "the network's input");
        NDArray y = run(rt, layers, x, training, true);
        recordOutput(y);
        return y;
    }

    /**
     * Runs layers in order. An error names the layer, its index and the shapes. With
     * {@code own}, every intermediate result moves into the running statement's scope (a call
     * from a script); without, results stay in the input's manager (a training step's). A
     * built-in layer's result is new unless it is the input itself (Dropout in evaluation); a
     * script layer's is whatever its forward returned, which the interpreter already tracks
     * (it may be a parameter, which the statement must not free).
     */
    static NDArray run(Runtime rt, List<Layer> layers, NDArray x, boolean training, boolean own) {
        NDArray y = x;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String where = layers.size() > 1 || l instanceof Sequential ? "layer " + i + ": " : "";
            if (l instanceof Sequential s) {
                y = run(rt, s.layers, y, training, own);
                s.recordOutput(y);
            } else {
                NDArray in = y;
                y = l.apply(rt, in, training, where);
                if (own && l.returnsNew()) {
                    rt.adopt(y, in);
                }
            }
        }
        return y;
    }

    /** {@code net[i]} is a child; {@code net[i:j]} a network of those children, their names kept (PyTorch's). */
    private Object item(Object sub) {
        if (sub instanceof SliceSpec slice) {
            long[] r = slice.resolve(layers.size());
            long n = SliceSpec.count(r);
            Sequential s = new Sequential();
            for (long i = 0, at = r[0]; i < n; i++, at += r[2]) {
                s.add(names.get((int) at), layers.get((int) at));
            }
            return s;
        }
        long i = Conversions.toLong(sub, "network index");
        long size = layers.size();
        if (i < -size || i >= size) {
            throw new CnnException("network index " + i + " is out of range for a network of " + size + " layer"
                    + (size == 1 ? "" : "s"));
        }
        return layers.get((int) (i < 0 ? i + size : i));
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        if (name.equals("children")) {
            return new PyList(new ArrayList<>(layers));
        }
        return super.attribute(rt, name);
    }

    @Override
    public Object callMethod(Runtime rt, String name, Object[] args, String[] kn, Object[] kv) {
        Signature signature = METHOD_SIGNATURES.get(name);
        if (signature == null) {
            return super.callMethod(rt, name, args, kn, kv);
        }
        Args a = signature.bind(args, kn, kv);
        switch (name) {
            case "__len__":
                return (long) layers.size();
            case "__getitem__":
                return item(a.get("idx"));
            case "add_module": {
                String n = a.string("name", "add_module() name");
                if (n.isEmpty() || n.contains(".")) {
                    throw new CnnException("add_module() name must be non-empty and without '.', got " + Values.repr(n));
                }
                add(n, toLayer(a.get("module")));
                rt.keep(a.get("module"));
                return NoneValue.NONE;
            }
            case "append":
                add(String.valueOf(layers.size()), toLayer(a.get("module")));
                rt.keep(a.get("module"));
                return this;
            default:
                throw new IllegalStateException("no code for the method " + name);
        }
    }

    /** A network's own methods, as PyTorch's nn.Sequential names them; the rest are every layer's. */
    private static final Map<String, Signature> METHOD_SIGNATURES =
            signatures("__len__()", "__getitem__(idx)", "add_module(name, module)", "append(module)");

    /** {@code net.name = layer} replaces the child of that name, as PyTorch's setattr does. */
    @Override
    public boolean setAttribute(Runtime rt, String name, Object value) {
        int at = names.indexOf(name);
        if (at < 0) {
            throw new CnnException("this network has no child named '" + name + "'; add one with add_module(name, layer)");
        }
        if (!(value instanceof Layer l)) {
            throw new CnnException("cannot set '" + name + "' of a network to " + Values.aTypeName(value)
                    + ": it holds a layer, and takes another layer");
        }
        if (l.contains(this)) {
            throw new CnnException("cannot set '" + name + "': the layer holds this network, and a network must be a tree");
        }
        layers.set(at, l);
        return true;
    }

    @Override
    public List<String> memberNames() {
        List<String> out = new ArrayList<>(super.memberNames());
        out.add("add_module");
        out.add("append");
        return out;
    }
}

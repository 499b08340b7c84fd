package io.cnnscript.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Args;
import io.cnnscript.lib.Errors;
import io.cnnscript.lib.Signature;
import io.cnnscript.value.Callable;
import io.cnnscript.value.HasMembers;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Traversable;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A layer value, and a node of the module tree (PyTorch's {@code nn.Module}). Built-in layers
 * ({@link BlockLayer}, {@link FnLayer}), networks ({@link Sequential}) and layers a script
 * defines share it: each has tensors of its own ({@link #ownState}: parameters, then buffers such
 * as BatchNorm's running statistics) and named children ({@link #children}). Everything that
 * needs the whole network (parameters, save and load, train and eval mode, summary, printing)
 * walks the tree from here, with PyTorch's dotted names ({@code conv.0.weight}).
 */
public abstract class Layer implements Callable, HasMembers, Traversable, Values.Named {

    /** A named tensor of a layer: a trainable parameter or, with trainable false, a buffer. */
    public record Param(String name, NDArray value, boolean trainable) {}

    /** A child layer under its name ({@code 0}, {@code conv}, {@code blocks}). */
    public record Child(String name, Layer layer) {}

    /**
     * A layer type: what a script's {@code layer} definition binds its name to; calling it makes a
     * layer. (So that messages can tell a type from a layer without knowing who defined it.)
     */
    public interface Type extends Callable {
    }

    /** PyTorch's default: a new module is in training mode. */
    boolean training = true;

    /**
     * The layer's own text without its children: {@code Linear(in_features=256, out_features=120,
     * bias=True)} for a leaf. A layer with children prints as {@code Name(} and one line per child.
     */
    protected abstract String text();

    /**
     * Checks that an input of shape {@code in} fits; returns null when it does, otherwise why
     * not (without the layer's name, which the caller adds).
     */
    protected abstract String mismatch(Shape in);

    /** Like {@link #mismatch(Shape)} for the input's dtype. */
    protected String mismatch(ai.djl.ndarray.types.DataType type) {
        return null;
    }

    /** Runs the layer; the input has passed {@link #mismatch}. Results go to the input's manager. */
    protected abstract NDArray forward(Runtime rt, NDArray x, boolean training);

    /** This layer's own tensors (not its children's): parameters first, then buffers, in PyTorch's order. */
    protected List<Param> ownState() {
        return List.of();
    }

    /** The child layers, in the order they were made (PyTorch's {@code named_children()}). */
    public List<Child> children() {
        return List.of();
    }

    /** Makes this layer's own parameters from its declared sizes if no input has made them yet. */
    protected void materializeOwn(Runtime rt) {}

    /**
     * Checks, at each walk of the tree, that what the layer holds is still a well-formed part of
     * it (a script's list of layers that has since been given other values is not); throws why not.
     */
    protected void checkOwn() {}

    /** Whether the layer is in training mode (PyTorch's {@code module.training}). */
    public final boolean isTraining() {
        return training;
    }

    // ------------------------------------------------------------------ the tree

    /**
     * Every tensor of the tree under its dotted name, as PyTorch's {@code state_dict()} orders
     * them: a layer's parameters and buffers, then each child's, depth first. A layer reached
     * twice (shared) appears under both names; a layer that holds itself is an error.
     */
    public final List<Param> state() {
        List<Param> out = new ArrayList<>();
        collect(this, "", Collections.newSetFromMap(new IdentityHashMap<>()), out);
        return out;
    }

    private static void collect(Layer l, String prefix, Set<Layer> path, List<Param> out) {
        if (!path.add(l)) {
            throw cycle(l, prefix);
        }
        l.checkOwn();
        for (Param p : l.ownState()) {
            out.add(new Param(prefix + p.name(), p.value(), p.trainable()));
        }
        for (Child c : l.children()) {
            collect(c.layer(), prefix + c.name() + ".", path, out);
        }
        path.remove(l);
    }

    static CnnException cycle(Layer l, String prefix) {
        String at = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
        return new CnnException("layer " + l.name() + " holds itself: its child '" + at
                + "' is the layer that contains it (a network must be a tree)");
    }

    /** The trainable parameters (PyTorch's {@code named_parameters()}): a shared tensor once, under its first name. */
    public final List<Param> parameters() {
        List<Param> out = new ArrayList<>();
        Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Param p : state()) {
            if (p.trainable() && seen.add(p.value())) {
                out.add(p);
            }
        }
        return out;
    }

    /** Every layer of the tree once, this one first, depth first (PyTorch's {@code named_modules()}). */
    public final List<Child> modules() {
        List<Child> out = new ArrayList<>();
        modules(this, "", Collections.newSetFromMap(new IdentityHashMap<>()),
                Collections.newSetFromMap(new IdentityHashMap<>()), out);
        return out;
    }

    private static void modules(Layer l, String name, Set<Layer> path, Set<Layer> seen, List<Child> out) {
        if (!path.add(l)) {
            throw cycle(l, name + ".");
        }
        if (seen.add(l)) {
            l.checkOwn();
            out.add(new Child(name, l));
            for (Child c : l.children()) {
                modules(c.layer(), name.isEmpty() ? c.name() : name + "." + c.name(), path, seen, out);
            }
        }
        path.remove(l);
    }

    /** True when {@code other} is this layer or somewhere below it. */
    final boolean contains(Layer other) {
        for (Child c : modules()) {
            if (c.layer() == other) {
                return true;
            }
        }
        return false;
    }

    /** Makes the parameters of every layer in the tree from their declared sizes. */
    public final void materialize(Runtime rt) {
        for (Child c : modules()) {
            c.layer().materializeOwn(rt);
        }
    }

    /** Training or evaluation mode for the whole tree (PyTorch's {@code train()}/{@code eval()}). */
    public final void setTraining(boolean on) {
        for (Child c : modules()) {
            c.layer().training = on;
        }
    }

    /** PyTorch's repr: the text of a leaf, or the name and one indented line per child. */
    @Override
    public final String toString() {
        return repr(Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private String repr(Set<Layer> path) {
        List<Child> children = children();
        if (children.isEmpty()) {
            return text();
        }
        if (!path.add(this)) {
            return name() + "(...)";
        }
        StringBuilder sb = new StringBuilder(name()).append("(\n");
        for (Child c : children) {
            String child = c.layer().repr(path).replace("\n", "\n  ");
            sb.append("  (").append(c.name()).append("): ").append(child).append('\n');
        }
        path.remove(this);
        return sb.append(')').toString();
    }

    /** The text error messages use: a leaf's text, a container's name. */
    final String describe() {
        return children().isEmpty() ? text() : name();
    }

    /**
     * Whether {@link #forward} makes its result (a built-in layer: the caller owns it, unless it
     * is the input itself) or returns what script code returned (a script layer: the
     * interpreter already knows who holds it).
     */
    protected boolean returnsNew() {
        return true;
    }

    /** Runs this layer on x with its checks: a clear error instead of a libtorch one. */
    final NDArray apply(Runtime rt, NDArray x, boolean training, String where) {
        String why = mismatch(x.getShape());
        if (why == null) {
            why = mismatch(x.getDataType());
        }
        if (why != null) {
            throw new CnnException(where + describe() + " " + why);
        }
        NDArray y;
        try {
            y = forward(rt, x, training);
        } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
            throw new CnnException(where + describe() + " failed on an input of shape "
                    + TensorFormat.shape(x.getShape()) + ": " + Errors.firstLine(e));
        }
        recordOutput(y);
        return y;
    }

    /**
     * While summary() runs: the output shapes this layer gave, in call order (a layer in several
     * places of the tree, such as the one Sigmoid, is called once per place).
     */
    List<Shape> recorded;

    /** Notes the output shape for summary(); every way of running a layer calls it. */
    protected final void recordOutput(Object y) {
        if (recorded != null && y instanceof NDArray a) {
            recorded.add(a.getShape());
        }
    }

    @Override
    public String typeName() {
        return "layer";
    }

    @Override
    public String name() {
        String s = text();
        int p = s.indexOf('(');
        return p < 0 ? s : s.substring(0, p);
    }

    /** {@code layer(X)}: the forward pass; the result belongs to the running statement. */
    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        NDArray x = forwardSignature().bind(args, kn, kv).tensor("input", name() + "() input");
        return Sequential.run(rt, List.of(this), x, training, true);
    }

    private Signature forward;

    /** {@code layer(X)} binds as PyTorch's {@code Linear.forward(input)}. */
    protected final Signature forwardSignature() {
        if (forward == null) {
            forward = Signature.parse(name() + ".forward(input)");
        }
        return forward;
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        if (name.equals("training")) {
            return training;
        }
        for (Param p : ownState()) {
            if (p.name().equals(name)) {
                return p.value();
            }
        }
        for (Child c : children()) {
            if (c.name().equals(name)) {
                return c.layer();
            }
        }
        return null;
    }

    @Override
    public Object callMethod(Runtime rt, String name, Object[] args, String[] kn, Object[] kv) {
        Signature signature = METHOD_SIGNATURES.get(name);
        if (signature == null) {
            return null;
        }
        Args a = signature.bind(args, kn, kv);
        switch (name) {
            case "parameters":
            case "named_parameters":
            case "buffers":
            case "named_buffers": {
                // PyTorch's parameters() gives the tensors, named_parameters() the (name, tensor) pairs;
                // recurse=false keeps the layer's own, prefix= goes before each name, a shared tensor comes once.
                materialize(rt);
                boolean trainable = name.endsWith("parameters");
                List<Param> out = new ArrayList<>();
                Set<NDArray> seen = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Param p : a.truthy("recurse") ? state() : ownState()) {
                    if (p.trainable() == trainable && seen.add(p.value())) {
                        out.add(p);
                    }
                }
                if (!name.startsWith("named_")) {
                    return new PyList(new ArrayList<>(out.stream().map(p -> (Object) p.value()).toList()));
                }
                String prefix = a.string("prefix", name + "() prefix");
                if (!prefix.isEmpty()) {
                    out.replaceAll(p -> new Param(prefix + "." + p.name(), p.value(), p.trainable()));
                }
                return paramList(out);
            }
            case "state_dict":
                materialize(rt);
                return paramList(state());
            case "children":
                return new PyList(new ArrayList<>(children().stream().map(Child::layer).toList()));
            case "named_children": {
                List<Object> out = new ArrayList<>();
                for (Child c : children()) {
                    out.add(Tuple.of(c.name(), c.layer()));
                }
                return new PyList(out);
            }
            case "named_modules": {
                List<Object> out = new ArrayList<>();
                for (Child c : modules()) {
                    out.add(Tuple.of(c.name(), c.layer()));
                }
                return new PyList(out);
            }
            case "modules":
                return new PyList(new ArrayList<>(modules().stream().map(Child::layer).toList()));
            case "zero_grad":
                noSetToNone(a);
                zeroGrad(parameters());
                return NoneValue.NONE;
            case "train":
                if (!(a.get("mode") instanceof Boolean mode)) {
                    throw new CnnException("train() mode must be a bool, not " + Values.typeName(a.get("mode")));
                }
                setTraining(mode);
                return this;
            case "eval":
                setTraining(false);
                return this;
            default:
                return null;
        }
    }

    /** The methods every layer has, bound as PyTorch's nn.Module methods of those names. */
    private static final Map<String, Signature> METHOD_SIGNATURES = signatures("parameters(recurse=true)",
            "named_parameters(prefix=\"\", recurse=true)", "state_dict()", "buffers(recurse=true)",
            "named_buffers(prefix=\"\", recurse=true)", "children()", "named_children()",
            "modules()", "named_modules()", "zero_grad(set_to_none=false)", "train(mode=true)", "eval()");

    /** Each method's signature by its name. */
    static Map<String, Signature> signatures(String... texts) {
        Map<String, Signature> out = new java.util.HashMap<>();
        for (String t : texts) {
            Signature s = Signature.parse(t);
            out.put(s.name(), s);
        }
        return Map.copyOf(out);
    }

    /** Gradients are zeroed in place (PyTorch 1.13's default); set_to_none=true is refused, not ignored. */
    static void noSetToNone(Args a) {
        if (a.truthy("set_to_none")) {
            throw new CnnException("zero_grad(set_to_none=true) is not supported: gradients are zeroed in place, "
                    + "as PyTorch 1.13's default set_to_none=false does");
        }
    }

    /** The tree's tensors by name, for save and load. */
    static Map<String, Param> byName(List<Param> state) {
        Map<String, Param> out = new java.util.LinkedHashMap<>();
        for (Param p : state) {
            out.put(p.name(), p);
        }
        return out;
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
                io.cnnscript.lib.Torch.zeroGrad(p.value());
            }
        }
    }

    /** Member names completion offers. */
    static final List<String> METHODS = List.of("parameters", "named_parameters", "state_dict", "buffers",
            "named_buffers", "children", "named_children", "modules", "named_modules", "zero_grad", "train", "eval",
            "training");

    @Override
    public List<String> memberNames() {
        List<String> out = new ArrayList<>(METHODS);
        for (Param p : ownState()) {
            out.add(p.name());
        }
        for (Child c : children()) {
            out.add(c.name());
        }
        return out;
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {
        for (Child c : children()) {
            visitor.accept(c.layer());
        }
    }
}

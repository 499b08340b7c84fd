package io.cnnscript.interp;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.Suggest;
import io.cnnscript.nn.Layer;
import io.cnnscript.nn.LayerList;
import io.cnnscript.value.Callable;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A layer defined in a script: a node of the same module tree as the built-in layers. Its state
 * is the frame its body ran in. The param() tensors there are its parameters, and the layers
 * there (built-in, script-defined, networks, and lists of them) its children, each named as the
 * script named the variable, in the order the body first sets them (PyTorch's attribute order).
 */
public final class UserLayer extends Layer {

    /** The value bound to the layer's name: calling it makes an instance. */
    static final class Maker implements Layer.Type, Values.Named {
        final FunctionValue constructor;
        final List<String> methods;

        Maker(FunctionValue constructor, List<String> methods) {
            this.constructor = constructor;
            this.methods = methods;
        }

        @Override
        public String name() {
            return constructor.name();
        }

        @Override
        public String typeName() {
            return "layer type";
        }

        @Override
        public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
            Interpreter in = (Interpreter) rt;
            Frame state = in.construct(constructor, args, kn, kv);
            UserLayer layer = new UserLayer(this, state, args);
            String[] names = constructor.code.slotNames;
            for (int i = 0; i < names.length; i++) {
                String why = LayerList.mixed(names[i], state.slots[i]);
                if (why != null) {
                    throw new CnnException("layer " + name() + ": field " + why);
                }
            }
            return layer;
        }

        @Override
        public String help() {
            return "layer " + constructor.signature() + "   [your layer, " + constructor.code.loc + "]\n"
                    + (methods.isEmpty() ? "" : "    methods: " + String.join(", ", methods) + "\n");
        }

        @Override
        public String toString() {
            return "<layer " + constructor.signature() + ">";
        }
    }

    private final Maker maker;
    private final Frame state;
    private final String argsText;

    /** Fields that hold a list of layers or parameters: they must go on holding one (see {@link #checkOwn}). */
    private final boolean[] heldList;

    UserLayer(Maker maker, Frame state, Object[] args) {
        this.maker = maker;
        this.state = state;
        this.heldList = new boolean[state.slots.length];
        for (int i = 0; i < heldList.length; i++) {
            heldList[i] = LayerList.isList(state.slots[i]);
        }
        StringBuilder sb = new StringBuilder();
        for (Object a : args) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(Values.repr(a));
        }
        this.argsText = sb.toString();
    }

    @Override
    public String name() {
        return maker.name();
    }

    /** A layer without children prints with its arguments; with children, as PyTorch nests them. */
    @Override
    protected String text() {
        return name() + "(" + argsText + ")";
    }

    private int slotIndex(String name) {
        String[] names = maker.constructor.code.slotNames;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private Object slot(String name) {
        int i = slotIndex(name);
        return i < 0 ? null : state.slots[i];
    }

    private boolean isMethod(String name) {
        return maker.methods.contains(name);
    }

    /** Calling a layer runs its forward method (with any arguments it takes). */
    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        Object forward = slot("forward");
        Object r = ((Callable) forward).call(rt, args, kn, kv);
        recordOutput(r);
        return r;
    }

    @Override
    protected String mismatch(Shape in) {
        return null;
    }

    /** The forward pass inside a network or a training step. */
    @Override
    protected boolean returnsNew() {
        return false;
    }

    @Override
    protected NDArray forward(Runtime rt, NDArray x, boolean training) {
        Object r = ((Callable) slot("forward")).call(rt, new Object[] {x}, new String[0], new Object[0]);
        if (!(r instanceof NDArray y)) {
            throw new CnnException("layer " + name() + ": forward must return a tensor, it returned a "
                    + Values.typeName(r));
        }
        // The result came back in the running statement's scope; results of a layer go where its
        // input lives, so that a training step frees them with the batch. Tensors that variables
        // hold stay where they are.
        if (y.getManager() == rt.scope() && x.getManager() != y.getManager()) {
            y.attach(x.getManager());
        }
        return y;
    }

    @Override
    protected List<Param> ownState() {
        List<Param> out = new ArrayList<>();
        String[] names = maker.constructor.code.slotNames;
        for (int i = 0; i < names.length; i++) {
            if (LayerList.isParam(state.slots[i])) {
                out.add(new Param(names[i], (NDArray) state.slots[i], true));
            }
        }
        return out;
    }

    @Override
    public List<Child> children() {
        List<Child> out = new ArrayList<>();
        String[] names = maker.constructor.code.slotNames;
        for (int i = 0; i < names.length; i++) {
            Child c = LayerList.child(names[i], state.slots[i]);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        Object v = slot(name);
        return v != null ? v : super.attribute(rt, name);
    }

    /**
     * {@code m.field = value}: a field that holds a layer takes another layer (or none), one
     * that holds a parameter another param() tensor (or none), as PyTorch's module attributes
     * do. Checked before anything changes; a layer that would hold itself is refused.
     */
    @Override
    public boolean setAttribute(Runtime rt, String name, Object value) {
        int i = slotIndex(name);
        if (i < 0 || isMethod(name)) {
            throw new CnnException("layer " + name() + " has no field '" + name + "'; its fields are the variables its "
                    + "body sets" + Suggest.hint(name, fieldNames()));
        }
        Object old = state.slots[i];
        boolean none = value == NoneValue.NONE;
        if (old instanceof Layer && !(value instanceof Layer) && !none) {
            throw new CnnException("cannot set '" + name + "' of layer " + name() + " to " + Values.aTypeName(value)
                    + ": it holds a layer, and takes another layer or none");
        }
        if (heldList[i] && !none && !LayerList.isList(value)
                && !((value instanceof PyList || value instanceof Tuple) && Conversions.sequence(value, name).isEmpty())) {
            throw new CnnException("cannot set '" + name + "' of layer " + name() + " to " + Values.aTypeName(value)
                    + ": it holds a list of layers or parameters, and takes another such list or none");
        }
        if (LayerList.isParam(old) && !LayerList.isParam(value) && !none) {
            throw new CnnException("cannot set '" + name + "' of layer " + name() + " to " + Values.aTypeName(value)
                    + ": it holds a parameter, and takes a param() tensor or none");
        }
        String why = LayerList.mixed(name, value);
        if (why != null) {
            throw new CnnException("layer " + name() + ": field " + why);
        }
        Child c = LayerList.child(name, value);
        if (c != null && contains(this, c.layer())) {
            throw new CnnException("cannot set '" + name + "' of layer " + name() + ": the value holds this layer, "
                    + "and a layer cannot hold itself");
        }
        state.slots[i] = value;
        heldList[i] = LayerList.isList(value);
        return true;
    }

    /** A field's list of layers changed in place must still hold only layers (PyTorch's ModuleList refuses others). */
    @Override
    protected void checkOwn() {
        String[] names = maker.constructor.code.slotNames;
        for (int i = 0; i < heldList.length; i++) {
            if (!heldList[i] && LayerList.isList(state.slots[i])) {
                heldList[i] = true;      // a list that was empty when made, filled with layers since
            }
            if (heldList[i]) {
                String why = LayerList.stillHolds(names[i], state.slots[i]);
                if (why != null) {
                    throw new CnnException("layer " + name() + ": field " + why);
                }
            }
        }
    }

    private static boolean contains(Layer self, Layer tree) {
        for (Child c : tree.modules()) {
            if (c.layer() == self) {
                return true;
            }
        }
        return false;
    }

    private List<String> fieldNames() {
        List<String> out = new ArrayList<>();
        for (String n : maker.constructor.code.slotNames) {
            if (!isMethod(n)) {
                out.add(n);
            }
        }
        return out;
    }

    @Override
    public Object callMethod(Runtime rt, String name, Object[] args, String[] kn, Object[] kv) {
        Object m = slot(name);
        if (m instanceof Callable c && isMethod(name)) {
            return c.call(rt, args, kn, kv);
        }
        Object r = super.callMethod(rt, name, args, kn, kv);
        if (r != null) {
            return r;
        }
        if (m == null) {
            throw new CnnException("layer " + name() + " has no method '" + name + "'"
                    + Suggest.hint(name, memberNames()));
        }
        return null;
    }

    @Override
    public List<String> memberNames() {
        List<String> out = new ArrayList<>(List.of(maker.constructor.code.slotNames));
        out.addAll(super.memberNames());
        return out.stream().distinct().toList();
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {
        visitor.accept(state);
    }
}

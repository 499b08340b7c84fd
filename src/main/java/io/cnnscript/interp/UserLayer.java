package io.cnnscript.interp;

import ai.djl.ndarray.NDArray;
import io.cnnscript.api.CnnException;
import io.cnnscript.lib.Suggest;
import io.cnnscript.value.Callable;
import io.cnnscript.value.HasMembers;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.ScriptLayer;
import io.cnnscript.value.Traversable;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A layer defined in a script. Its state is the frame its body ran in: the parameters it made
 * are the tensors in that frame that require gradients, named as the script named them.
 */
public final class UserLayer implements ScriptLayer, HasMembers, Traversable, Values.Named {

    /** The value bound to the layer's name: calling it makes an instance. */
    static final class Maker implements Callable, Values.Named {
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
            return new UserLayer(this, state, args);
        }

        @Override
        public String toString() {
            return "<layer " + constructor.signature() + ">";
        }
    }

    private final Maker maker;
    private final Frame state;
    private final String argsText;

    UserLayer(Maker maker, Frame state, Object[] args) {
        this.maker = maker;
        this.state = state;
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

    @Override
    public String typeName() {
        return "layer";
    }

    private Object slot(String name) {
        String[] names = maker.constructor.code.slotNames;
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return state.slots[i];
            }
        }
        return null;
    }

    /** Calling a layer runs its forward method. */
    @Override
    public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
        Object forward = slot("forward");
        return ((Callable) forward).call(rt, args, kn, kv);
    }

    @Override
    public List<Param> parameters() {
        List<Param> out = new ArrayList<>();
        String[] names = maker.constructor.code.slotNames;
        for (int i = 0; i < names.length; i++) {
            if (state.slots[i] instanceof NDArray a && a.hasGradient()) {
                out.add(new Param(names[i], a));
            }
        }
        return out;
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        if (name.equals("parameters")) {
            return null;
        }
        return slot(name);
    }

    @Override
    public Object callMethod(Runtime rt, String name, Object[] args, String[] kn, Object[] kv) {
        if (name.equals("parameters")) {
            List<Object> out = new ArrayList<>();
            for (Param p : parameters()) {
                out.add(Tuple.of(p.name(), p.value()));
            }
            return new PyList(out);
        }
        if (name.equals("zero_grad")) {
            for (Param p : parameters()) {
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p.value());
            }
            return io.cnnscript.value.NoneValue.NONE;
        }
        Object m = slot(name);
        if (m instanceof Callable c && maker.methods.contains(name)) {
            return c.call(rt, args, kn, kv);
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
        out.add("parameters");
        out.add("zero_grad");
        return out;
    }

    @Override
    public void forEachChild(Consumer<Object> visitor) {
        visitor.accept(state);
    }

    @Override
    public String toString() {
        return name() + "(" + argsText + ")";
    }
}

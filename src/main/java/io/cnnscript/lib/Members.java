package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.Callable;
import io.cnnscript.value.HasMembers;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code x.name} and {@code x.name(...)} on every kind of value. */
public final class Members {

    private Members() {}

    public static Object attribute(Runtime rt, Object target, String name) {
        if (target instanceof NDArray a) {
            Object v = TensorMethods.attribute(rt, a, name);
            if (v != null) {
                return v;
            }
            Builtin m = TensorMethods.METHODS.get(name);
            if (m != null) {
                return bound(m, a);
            }
        } else if (target instanceof HasMembers h) {
            Object v = h.attribute(rt, name);
            if (v != null) {
                return v;
            }
        } else if (target instanceof PyList l && ListMethods.METHODS.containsKey(name)) {
            return bound(ListMethods.METHODS.get(name), l);
        } else if (target instanceof String s && StringMethods.METHODS.containsKey(name)) {
            return bound(StringMethods.METHODS.get(name), s);
        }
        throw noMember(target, name);
    }

    public static void setAttribute(Runtime rt, Object target, String name, Object value) {
        if (target instanceof HasMembers h && h.setAttribute(rt, name, value)) {
            return;
        }
        throw new CnnException("cannot set attribute '" + name + "' of " + Values.aTypeName(target));
    }

    public static Object call(Runtime rt, Object target, String name, Object[] args, String[] kn, Object[] kv) {
        Builtin m = null;
        if (target instanceof NDArray) {
            m = TensorMethods.METHODS.get(name);
        } else if (target instanceof PyList) {
            m = ListMethods.METHODS.get(name);
        } else if (target instanceof String) {
            m = StringMethods.METHODS.get(name);
        } else if (target instanceof HasMembers h) {
            Object r = h.callMethod(rt, name, args, kn, kv);
            if (r != null) {
                return r;
            }
        }
        if (m != null) {
            Object[] all = new Object[args.length + 1];
            all[0] = target;
            System.arraycopy(args, 0, all, 1, args.length);
            return m.call(rt, all, kn, kv);
        }
        Object attr = attribute(rt, target, name);
        if (attr instanceof Callable c) {
            return c.call(rt, args, kn, kv);
        }
        throw new CnnException("'" + name + "' of " + Values.aTypeName(target) + " is " + Values.aTypeName(attr)
                + ", not a method");
    }

    /** Names offered after {@code x.} in completion. */
    public static List<String> names(Object target) {
        List<String> out = new ArrayList<>();
        if (target instanceof NDArray) {
            out.addAll(TensorMethods.ATTRIBUTES);
            out.addAll(TensorMethods.METHODS.keySet());
        } else if (target instanceof HasMembers h) {
            out.addAll(h.memberNames());
        } else if (target instanceof PyList) {
            out.addAll(ListMethods.METHODS.keySet());
        } else if (target instanceof String) {
            out.addAll(StringMethods.METHODS.keySet());
        }
        return out;
    }

    private static CnnException noMember(Object target, String name) {
        String hint = PythonHabits.forMember(target, name);
        return new CnnException(Values.aTypeName(target) + " has no attribute or method '" + name + "'"
                + (hint.isEmpty() ? Suggest.hint(name, names(target)) : hint));
    }

    /** A method with its receiver filled in, as {@code f = X.sum} gives. */
    private static Callable bound(Builtin m, Object receiver) {
        return new Callable() {
            @Override
            public String name() {
                return m.name();
            }

            @Override
            public Object call(Runtime rt, Object[] args, String[] kn, Object[] kv) {
                Object[] all = new Object[args.length + 1];
                all[0] = receiver;
                System.arraycopy(args, 0, all, 1, args.length);
                return m.call(rt, all, kn, kv);
            }

            @Override
            public String toString() {
                return "<method " + m.signature().text() + ">";
            }
        };
    }

    /** Every method family, for docs and :help. */
    public static Map<String, Builtin> tensorMethods() {
        return TensorMethods.METHODS;
    }
}

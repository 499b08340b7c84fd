package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import io.cnnscript.error.CnnException;
import io.cnnscript.value.Callable;
import io.cnnscript.value.HasMembers;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code x.name} and {@code x.name(...)} on every kind of value. The built-in methods of tensors,
 * lists and strings are the engine's {@link Library}'s; other values answer for themselves
 * ({@link HasMembers}).
 */
public final class Members {

    private Members() {}

    public static Object attribute(Library lib, Runtime rt, Object target, String name) {
        if (target instanceof NDArray a) {
            Object v = TensorMethods.attribute(rt, a, name);
            if (v != null) {
                return v;
            }
        } else if (target instanceof HasMembers h) {
            Object v = h.attribute(rt, name);
            if (v != null) {
                return v;
            }
        }
        Builtin m = lib.method(target, name);
        if (m != null) {
            return bound(m, target);
        }
        throw noMember(lib, target, name);
    }

    public static void setAttribute(Runtime rt, Object target, String name, Object value) {
        if (target instanceof HasMembers h && h.setAttribute(rt, name, value)) {
            return;
        }
        throw new CnnException("cannot set attribute '" + name + "' of " + Values.aTypeName(target));
    }

    public static Object call(Library lib, Runtime rt, Object target, String name, Object[] args, String[] kn,
            Object[] kv) {
        Builtin m = lib.method(target, name);
        if (m == null && target instanceof HasMembers h) {
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
        Object attr = attribute(lib, rt, target, name);
        if (attr instanceof Callable c) {
            return c.call(rt, args, kn, kv);
        }
        throw new CnnException("'" + name + "' of " + Values.aTypeName(target) + " is " + Values.aTypeName(attr)
                + ", not a method");
    }

    /** Names offered after {@code x.} in completion. */
    public static List<String> names(Library lib, Object target) {
        List<String> out = new ArrayList<>();
        if (target instanceof NDArray) {
            out.addAll(TensorMethods.ATTRIBUTES);
        } else if (target instanceof HasMembers h) {
            out.addAll(h.memberNames());
        }
        Library.Receiver r = Library.Receiver.of(target);
        if (r != null) {
            out.addAll(lib.methods(r).keySet());
        }
        return out;
    }

    private static CnnException noMember(Library lib, Object target, String name) {
        String hint = PythonHabits.forMember(target, name);
        return new CnnException(Values.aTypeName(target) + " has no attribute or method '" + name + "'"
                + (hint.isEmpty() ? Suggest.hint(name, names(lib, target)) : hint));
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
}

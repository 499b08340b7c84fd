package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every built-in an engine starts with: the functions by name, the methods of tensors, lists and
 * strings by receiver and name, and what {@code >>} means on values this package does not know.
 * A library is built once by a {@link Builder} and then only read: the builder starts with the
 * language's own built-ins and methods, and the packages above this one (nn) add theirs; the
 * interpreter wires that up, copies the functions into each engine's globals and looks methods
 * up here ({@link Members}). Nothing here is static, so two engines never share a registration.
 */
public final class Library {

    /** {@code left >> right} for operands the operators do not know (nn: layers make a Sequential). */
    public interface Composer {
        Object compose(Runtime rt, Object left, Object right);
    }

    /** The kinds of value that have built-in methods ({@code X.sum()}, {@code l.append(x)}, {@code s.upper()}). */
    public enum Receiver {
        TENSOR, LIST, STRING;

        /** The kind of {@code value}, or null for a value without built-in methods. */
        public static Receiver of(Object value) {
            if (value instanceof NDArray) {
                return TENSOR;
            }
            if (value instanceof PyList) {
                return LIST;
            }
            return value instanceof String ? STRING : null;
        }
    }

    private final Map<String, Object> globals;
    private final Map<Receiver, Map<String, Builtin>> methods;
    private final List<Builtin> documented;
    private final Composer composer;

    private Library(Builder b) {
        this.globals = Collections.unmodifiableMap(new LinkedHashMap<>(b.globals));
        Map<Receiver, Map<String, Builtin>> m = new EnumMap<>(Receiver.class);
        List<Builtin> all = new ArrayList<>(b.documented);
        for (Receiver r : Receiver.values()) {
            Map<String, Builtin> table = b.methods.getOrDefault(r, Map.of());
            m.put(r, Collections.unmodifiableMap(new LinkedHashMap<>(table)));
            all.addAll(table.values());
        }
        this.methods = Collections.unmodifiableMap(m);
        this.documented = List.copyOf(all);
        this.composer = b.composer;
    }

    /** A builder that holds the language's own built-ins (this package's); add the rest, then build. */
    public static Builder builder() {
        return new Builder();
    }

    /** The global names and their values, in the order they were added. */
    public Map<String, Object> globals() {
        return globals;
    }

    /** The built-in method {@code name} of {@code receiver}, or null when this library has none. */
    public Builtin method(Object receiver, String name) {
        Receiver r = Receiver.of(receiver);
        return r == null ? null : methods.get(r).get(name);
    }

    /** The built-in methods of a kind of value, by name, in the order they were added. */
    public Map<String, Builtin> methods(Receiver receiver) {
        return methods.get(receiver);
    }

    /** Every documented built-in: the functions, then the tensor, list and string methods. */
    public List<Builtin> documented() {
        return documented;
    }

    /** What {@code >>} does on values the operators do not know, or null when nothing was added. */
    public Composer composer() {
        return composer;
    }

    /** Collects the built-ins of a library; {@link #build} may be called once. */
    public static final class Builder {
        private final Map<String, Object> globals = new LinkedHashMap<>();
        private final List<Builtin> documented = new ArrayList<>();
        private final Map<Receiver, Map<String, Builtin>> methods = new EnumMap<>(Receiver.class);
        private Composer composer;
        /** The library once built: help() reads it, so it sees what was added after it. */
        private Library built;

        private Builder() {
            Builtins.all(() -> built).forEach(this::add);
            TensorBuiltins.all().forEach(this::add);
            TensorMethods.all().forEach(m -> method(Receiver.TENSOR, m));
            TensorOps.methods().forEach(m -> method(Receiver.TENSOR, m));
            TensorOps.functions(methods.get(Receiver.TENSOR)::get).forEach(this::add);
            ListMethods.all().forEach(m -> method(Receiver.LIST, m));
            StringMethods.all().forEach(m -> method(Receiver.STRING, m));
        }

        /** Adds a built-in function. */
        public Builder add(Builtin b) {
            globals.put(b.name(), b);
            documented.add(b);
            return this;
        }

        /**
         * Adds a built-in method of a kind of value: a {@code Builtin} whose first parameter is
         * {@code self}. A method name may be added once per kind.
         */
        public Builder method(Receiver receiver, Builtin b) {
            List<String> params = b.signature().parameterNames();
            if (params.isEmpty() || !params.get(0).equals("self")) {
                throw new IllegalArgumentException("a method's first parameter is self: " + b.signature().text());
            }
            Map<String, Builtin> table = methods.computeIfAbsent(receiver, r -> new LinkedHashMap<>());
            if (table.putIfAbsent(b.name(), b) != null) {
                throw new IllegalArgumentException(receiver + " method " + b.name() + " is added twice");
            }
            return this;
        }

        /** Adds a built-in value that is not a function (a layer such as Sigmoid, a loss), with its doc. */
        public Builder addValue(String name, Object value, Builtin doc) {
            globals.put(name, value);
            if (doc != null) {
                documented.add(doc);
            }
            return this;
        }

        /** Sets what {@code >>} does on values the operators do not know. */
        public Builder composer(Composer c) {
            this.composer = c;
            return this;
        }

        public Library build() {
            if (built != null) {
                throw new IllegalStateException("this library is already built");
            }
            built = new Library(this);
            return built;
        }
    }
}

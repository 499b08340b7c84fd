package io.cnnscript.lib;

import io.cnnscript.value.Runtime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every built-in an engine starts with, by name, and what {@code >>} means on values this
 * package does not know. A library is built once by a {@link Builder} and then only read: the
 * builder starts with the language's own built-ins, and the packages above this one (nn) add
 * theirs; the interpreter wires that up and copies the table into each engine's globals.
 * Nothing here is static, so two engines never share a registration.
 */
public final class Library {

    /** {@code left >> right} for operands the operators do not know (nn: layers make a Sequential). */
    public interface Composer {
        Object compose(Runtime rt, Object left, Object right);
    }

    private final Map<String, Object> globals;
    private final List<Builtin> documented;
    private final Composer composer;

    private Library(Builder b) {
        this.globals = Collections.unmodifiableMap(new LinkedHashMap<>(b.globals));
        List<Builtin> all = new ArrayList<>(b.documented);
        all.addAll(TensorMethods.METHODS.values());
        all.addAll(ListMethods.METHODS.values());
        all.addAll(StringMethods.METHODS.values());
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

    /** Every documented built-in, including tensor, list and string methods. */
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
        private Composer composer;
        /** The library once built: help() reads it, so it sees what was added after it. */
        private Library built;

        private Builder() {
            Builtins.all(() -> built).forEach(this::add);
            TensorBuiltins.all().forEach(this::add);
            TensorOps.functions().forEach(this::add);
        }

        /** Adds a built-in function. */
        public Builder add(Builtin b) {
            globals.put(b.name(), b);
            documented.add(b);
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

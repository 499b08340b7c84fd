package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A built-in's arguments after {@link Signature#bind}: each read by its parameter's name, never by
 * position, so reordering a signature cannot hand a value to the wrong parameter. Asking for a
 * name the signature does not declare is a programming error and fails loudly
 * ({@link Undeclared}), never as a silent none.
 *
 * <p>The typed getters convert with {@link Conversions}; their type errors name the parameter
 * ({@code "dim must be an int, not string"}), or the label given ({@code "Conv stride"}).
 */
public final class Args {

    private final Signature signature;
    private final Object[] values; // in the signature's order; only this class and Signature see it

    Args(Signature signature, Object[] values) {
        this.signature = signature;
        this.values = values;
    }

    /** A built-in read a parameter its signature does not have: a bug in cnnscript, not in the script. */
    public static final class Undeclared extends RuntimeException {
        Undeclared(String message) {
            super(message);
        }
    }

    private int at(String name) {
        int i = signature.indexOf(name);
        if (i < 0) {
            throw new Undeclared(signature.name() + "() reads a parameter '" + name + "' that its signature "
                    + signature.text() + " does not declare");
        }
        return i;
    }

    /** The value of parameter name: what the call gave, or its default. */
    public Object get(String name) {
        return values[at(name)];
    }

    /** The extra positional arguments a {@code *name} parameter collected. */
    public Tuple rest(String name) {
        int i = at(name);
        if (i != signature.varargsIndex()) {
            throw new Undeclared(signature.name() + "() reads '" + name + "' as *" + name + ", but its signature "
                    + signature.text() + " declares it as a plain parameter");
        }
        return (Tuple) values[i];
    }

    /** True when name's value is none. */
    public boolean isNone(String name) {
        return Conversions.isNone(get(name));
    }

    /** The truth of name's value, as {@code if} sees it. */
    public boolean truthy(String name) {
        return Values.truthy(get(name));
    }

    public NDArray tensor(String name) {
        return tensor(name, name);
    }

    /** name's value as a tensor; the type error says {@code what must be a tensor}. */
    public NDArray tensor(String name, String what) {
        return Conversions.tensor(get(name), what);
    }

    public long toLong(String name) {
        return toLong(name, name);
    }

    public long toLong(String name, String what) {
        return Conversions.toLong(get(name), what);
    }

    public int toInt(String name) {
        return toInt(name, name);
    }

    public int toInt(String name, String what) {
        return Conversions.toInt(get(name), what);
    }

    public double toDouble(String name) {
        return toDouble(name, name);
    }

    public double toDouble(String name, String what) {
        return Conversions.toDouble(get(name), what);
    }

    public String string(String name) {
        return string(name, name);
    }

    public String string(String name, String what) {
        return Conversions.string(get(name), what);
    }

    /** The values as they are, for {@link Builtin#call} to see which tensors the call was given. */
    Object[] given() {
        return values;
    }

    /**
     * Every value in the signature's order, a *rest parameter as one tuple: for a host function,
     * whose Java code receives its arguments as a list in the order its signature declares.
     */
    public List<Object> inDeclaredOrder() {
        return Collections.unmodifiableList(Arrays.asList(values.clone()));
    }
}

package io.cnnscript.lib;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every built-in the language offers, by name. Other packages (nn) add theirs at start-up; the
 * interpreter copies the table into each engine's globals.
 */
public final class Library {

    private static final Map<String, Object> GLOBALS = new LinkedHashMap<>();
    private static final List<Builtin> DOCUMENTED = new ArrayList<>();

    static {
        Builtins.all().forEach(Library::add);
        TensorBuiltins.all().forEach(Library::add);
        TensorOps.functions().forEach(Library::add);
    }

    private Library() {}

    /** Adds a built-in function. */
    public static synchronized void add(Builtin b) {
        GLOBALS.put(b.name(), b);
        DOCUMENTED.add(b);
    }

    /** Adds a built-in value that is not a function (a layer such as Sigmoid, a loss), with its doc. */
    public static synchronized void addValue(String name, Object value, Builtin doc) {
        GLOBALS.put(name, value);
        if (doc != null) {
            DOCUMENTED.add(doc);
        }
    }

    /** The global names and their values, in the order they were added. */
    public static synchronized Map<String, Object> globals() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(GLOBALS));
    }

    /** Every documented built-in, including tensor, list and string methods. */
    public static synchronized List<Builtin> documented() {
        List<Builtin> all = new ArrayList<>(DOCUMENTED);
        all.addAll(TensorMethods.METHODS.values());
        all.addAll(ListMethods.METHODS.values());
        all.addAll(StringMethods.METHODS.values());
        return all;
    }
}

package io.cnnscript.lib;

import io.cnnscript.error.CnnException;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * A built-in's parameters, written as the user sees them: {@code "zeros(*size, dtype=none)"}.
 * Binding checks counts and keyword names and gives each parameter its value or default.
 * Defaults are literals: ints, floats, strings in quotes, true, false, none.
 */
public final class Signature {

    private final String name;
    private final String text;
    private final String[] params;
    private final Object[] defaults; // null entry: required
    private final int varargsIndex; // -1 when there is no *rest

    private static final Object REQUIRED = null;

    private Signature(String name, String text, String[] params, Object[] defaults, int varargsIndex) {
        this.name = name;
        this.text = text;
        this.params = params;
        this.defaults = defaults;
        this.varargsIndex = varargsIndex;
    }

    public static Signature parse(String text) {
        int open = text.indexOf('(');
        String name = text.substring(0, open);
        String inner = text.substring(open + 1, text.lastIndexOf(')')).trim();
        List<String> names = new ArrayList<>();
        List<Object> defs = new ArrayList<>();
        int varargs = -1;
        if (!inner.isEmpty()) {
            for (String part : inner.split(",")) {
                String p = part.trim();
                if (p.startsWith("*")) {
                    if (varargs >= 0) {
                        throw new IllegalArgumentException("two *parameters in " + text);
                    }
                    varargs = names.size();
                    names.add(p.substring(1));
                    defs.add(REQUIRED);
                    continue;
                }
                int eq = p.indexOf('=');
                if (eq < 0) {
                    names.add(p);
                    defs.add(REQUIRED);
                } else {
                    names.add(p.substring(0, eq).trim());
                    defs.add(literal(p.substring(eq + 1).trim()));
                }
            }
        }
        for (int i = 0; i < names.size(); i++) {
            if (names.indexOf(names.get(i)) != i) {
                throw new IllegalArgumentException("parameter '" + names.get(i) + "' appears twice in " + text);
            }
        }
        return new Signature(name, text, names.toArray(new String[0]), defs.toArray(), varargs);
    }

    private static Object literal(String s) {
        switch (s) {
            case "none":
                return NoneValue.NONE;
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                break;
        }
        if (s.startsWith("\"") || s.startsWith("'")) {
            return s.substring(1, s.length() - 1);
        }
        if (s.startsWith("(")) {
            return Tuple.EMPTY;
        }
        if (s.matches("-?\\d+")) {
            return Long.parseLong(s);
        }
        return Double.parseDouble(s);
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    /** Parameter names, for completion of keyword arguments. */
    public List<String> parameterNames() {
        return List.of(params);
    }

    /**
     * Binds a call's arguments to the parameters, which the built-in then reads by name. A *rest
     * parameter receives a Tuple of the extra positional arguments.
     */
    public Args bind(Object[] args, String[] kwNames, Object[] kwValues) {
        Object[] bound = new Object[params.length];
        int positional = varargsIndex >= 0 ? varargsIndex : params.length;
        if (varargsIndex < 0 && args.length > params.length) {
            throw new CnnException(name + "() takes " + countText() + ", but " + args.length + " were given");
        }
        int i = 0;
        for (; i < Math.min(args.length, positional); i++) {
            bound[i] = args[i];
        }
        if (varargsIndex >= 0) {
            Object[] rest = new Object[Math.max(0, args.length - varargsIndex)];
            System.arraycopy(args, Math.min(args.length, varargsIndex), rest, 0, rest.length);
            bound[varargsIndex] = new Tuple(rest);
        }
        for (int k = 0; k < kwNames.length; k++) {
            int at = indexOf(kwNames[k]);
            if (at < 0 || at == varargsIndex) {
                throw new CnnException(name + "() has no parameter named '" + kwNames[k] + "'; it takes " + text);
            }
            if (bound[at] != null) {
                throw new CnnException(name + "() got two values for '" + kwNames[k] + "'");
            }
            bound[at] = kwValues[k];
        }
        for (int p = 0; p < params.length; p++) {
            if (bound[p] == null) {
                if (defaults[p] == REQUIRED) {
                    throw new CnnException(name + "() is missing its argument '" + params[p] + "'; it takes " + text);
                }
                bound[p] = defaults[p];
            }
        }
        return new Args(this, bound);
    }

    private String countText() {
        int required = 0;
        for (Object d : defaults) {
            if (d == REQUIRED) {
                required++;
            }
        }
        if (required == params.length) {
            return params.length == 1 ? "1 argument" : params.length + " arguments";
        }
        return "from " + required + " to " + params.length + " arguments";
    }

    /** The position of *rest among the parameters, or -1. */
    int varargsIndex() {
        return varargsIndex;
    }

    /** The position of param among the parameters, or -1. */
    int indexOf(String param) {
        for (int i = 0; i < params.length; i++) {
            if (params[i].equals(param)) {
                return i;
            }
        }
        return -1;
    }

}

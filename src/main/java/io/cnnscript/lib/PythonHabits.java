package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * One-line hints for what a Python or PyTorch user writes out of habit ({@code True},
 * {@code l.backward()}, {@code dir()}): the error says how cnnscript spells it.
 */
public final class PythonHabits {

    private PythonHabits() {}

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("True", "cnnscript writes true"),
            Map.entry("False", "cnnscript writes false"),
            Map.entry("None", "cnnscript writes none"),
            Map.entry("dir", ":vars lists the variables, :help the built-ins"),
            Map.entry("vars", ":vars lists the variables"),
            Map.entry("globals", ":vars lists the variables"),
            Map.entry("locals", ":vars lists the variables"),
            Map.entry("def", "cnnscript defines functions as fn f(x) { ... }"),
            Map.entry("elif", "cnnscript writes else if c { ... }"),
            Map.entry("lambda", "cnnscript has no lambda; define a function with fn f(x) { ... }"),
            Map.entry("torch", "cnnscript's built-ins are used without a module: tensor, zeros, Conv, ..."),
            Map.entry("nn", "layers are used without a module: Conv, Linear, ReLU, ..."),
            Map.entry("self", "a layer's own fields are its variables: write w, not self.w"));

    /** "; hint" for a name that is not defined, or "". */
    public static String forName(String name) {
        String h = NAMES.get(name);
        return h == null ? "" : "; " + h;
    }

    /** "; hint" for a member a value does not have, or "". */
    public static String forMember(Object target, String name) {
        if (target instanceof NDArray) {
            switch (name) {
                case "backward":
                    return "; cnnscript calls it as a function: backward(loss)";
                case "zero_":
                    return "; to clear gradients write zero_grad(w)";
                case "numpy":
                case "tolist":
                    return "; print it, or read one number with .item()";
                default:
                    return "";
            }
        }
        return "";
    }
}

package io.cnnscript.lib;

import ai.djl.ndarray.NDScope;
import io.cnnscript.value.Callable;
import io.cnnscript.value.Runtime;

/**
 * A function the language offers, with its signature and its doc: the one place :help,
 * docs/BUILTINS.md and completion read about it.
 */
public final class Builtin implements Callable {

    /**
     * The code of a built-in: gets the runtime and the call's arguments, read by parameter name,
     * and returns its result. New tensors in the result need no registering: the call owns them
     * ({@link Runtime#adopt}), and what the body makes and does not return is closed with the
     * call's scratch scope. A tensor that something else holds and that was not an argument is
     * returned as a {@link io.cnnscript.value.Borrowed}.
     */
    @FunctionalInterface
    public interface Body {
        Object apply(Runtime rt, Args a);
    }

    /** A call's arguments as written: positional ones, then keyword names and values side by side. */
    public record Arguments(Object[] positional, String[] names, Object[] values) {}

    /**
     * Rewrites a call's arguments before they are bound to the signature: how a built-in also
     * accepts another order (PyTorch's {@code SGD(params, lr)} beside {@code SGD(lr, params=...)}).
     */
    @FunctionalInterface
    public interface Reorder {
        Arguments apply(Arguments written);
    }

    private final Signature signature;
    private final String doc;
    private final String family;
    private final Body body;
    private final Reorder reorder;
    private final boolean lasting;

    /** A built-in whose body runs in a scratch scope: see {@link #call}. */
    public Builtin(String family, String signature, String doc, Body body) {
        this(family, Signature.parse(signature), doc, body, null, false);
    }

    /**
     * A built-in whose body may make tensors that outlive the call without being its result (a
     * layer's parameters, an optimizer's state, a host's own tensors) or may run script code
     * (train() runs script layers, whose statements keep what they store). It runs without a
     * scratch scope; its result is adopted all the same.
     */
    public static Builtin lasting(String family, String signature, String doc, Body body) {
        return new Builtin(family, Signature.parse(signature), doc, body, null, true);
    }

    private Builtin(String family, Signature signature, String doc, Body body, Reorder reorder, boolean lasting) {
        this.family = family;
        this.signature = signature;
        this.doc = doc;
        this.body = body;
        this.reorder = reorder;
        this.lasting = lasting;
    }

    /** This built-in, with its arguments rewritten by reorder before they are bound. */
    public Builtin reordering(Reorder reorder) {
        return new Builtin(family, signature, doc, body, reorder, lasting);
    }

    @Override
    public String name() {
        return signature.name();
    }

    public Signature signature() {
        return signature;
    }

    public String doc() {
        return doc;
    }

    /** The group it is listed under in :help and docs/BUILTINS.md. */
    public String family() {
        return family;
    }

    @Override
    public Object call(Runtime rt, Object[] args, String[] keywordNames, Object[] keywordValues) {
        Args bound;
        if (reorder != null) {
            Arguments a = reorder.apply(new Arguments(args, keywordNames, keywordValues));
            bound = signature.bind(a.positional(), a.names(), a.values());
        } else {
            bound = signature.bind(args, keywordNames, keywordValues);
        }
        // The body returns its result; who owns it is decided here, for every built-in. (Without
        // a runtime, as in a unit test of binding, there is no statement to own anything.)
        if (rt == null) {
            return body.apply(rt, bound);
        }
        if (lasting) {
            return rt.adopt(body.apply(rt, bound), bound.given());
        }
        // A scratch scope (DJL's NDScope) collects every tensor made while the body runs; adopt
        // takes the new tensors of the result out of it, and closing it frees the rest: what
        // the body made on the way. Tensors made before the call are never in it.
        try (NDScope scratch = rt.scratch()) {
            return rt.adopt(body.apply(rt, bound), bound.given());
        }
    }

    @Override
    public String help() {
        return HelpText.describe(this);
    }

    @Override
    public String toString() {
        return "<built-in " + signature.text() + ">";
    }
}

package io.cnnscript.lib;

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
     * ({@link Runtime#adopt}). A tensor that something else holds and that was not an argument
     * is returned as a {@link io.cnnscript.value.Borrowed}.
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

    public Builtin(String family, String signature, String doc, Body body) {
        this(family, Signature.parse(signature), doc, body, null);
    }

    private Builtin(String family, Signature signature, String doc, Body body, Reorder reorder) {
        this.family = family;
        this.signature = signature;
        this.doc = doc;
        this.body = body;
        this.reorder = reorder;
    }

    /** This built-in, with its arguments rewritten by reorder before they are bound. */
    public Builtin reordering(Reorder reorder) {
        return new Builtin(family, signature, doc, body, reorder);
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
        Object result = body.apply(rt, bound);
        return rt == null ? result : rt.adopt(result, bound.given());
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

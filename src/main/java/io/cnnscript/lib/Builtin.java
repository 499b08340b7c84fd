package io.cnnscript.lib;

import io.cnnscript.value.Callable;
import io.cnnscript.value.Runtime;

/**
 * A function the language offers, with its signature and its doc: the one place :help,
 * docs/BUILTINS.md and completion read about it.
 */
public final class Builtin implements Callable {

    /** The code of a built-in: gets the runtime and the arguments bound in signature order. */
    @FunctionalInterface
    public interface Body {
        Object apply(Runtime rt, Object[] a);
    }

    private final Signature signature;
    private final String doc;
    private final String family;
    private final Body body;

    public Builtin(String family, String signature, String doc, Body body) {
        this.family = family;
        this.signature = Signature.parse(signature);
        this.doc = doc;
        this.body = body;
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
        return body.apply(rt, signature.bind(args, keywordNames, keywordValues));
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

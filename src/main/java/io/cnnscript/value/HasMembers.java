package io.cnnscript.value;

/** A value with attributes and methods of its own (layers, networks, optimizers, datasets). */
public interface HasMembers {

    /** The attribute's value, or null when there is none by that name. */
    Object attribute(Runtime rt, String name);

    /** Calls a method; returns null when there is no method by that name. */
    Object callMethod(Runtime rt, String name, Object[] args, String[] keywordNames, Object[] keywordValues);

    /** Names offered by completion. */
    java.util.List<String> memberNames();
}

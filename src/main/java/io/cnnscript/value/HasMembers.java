package io.cnnscript.value;

/** A value with attributes and methods of its own (layers, networks, optimizers, datasets). */
public interface HasMembers {

    /** The attribute's value, or null when there is none by that name. */
    Object attribute(Runtime rt, String name);

    /** Calls a method; returns null when there is no method by that name. */
    Object callMethod(Runtime rt, String name, Object[] args, String[] keywordNames, Object[] keywordValues);

    /**
     * {@code x.name = value}: sets the attribute and returns true, throws when the value does not
     * fit, or returns false when the value has no settable attributes.
     */
    default boolean setAttribute(Runtime rt, String name, Object value) {
        return false;
    }

    /** Names offered by completion. */
    java.util.List<String> memberNames();
}

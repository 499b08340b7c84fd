package io.cnnscript.value;

/** The value {@code none}. */
public enum NoneValue {
    NONE;

    @Override
    public String toString() {
        return "none";
    }
}

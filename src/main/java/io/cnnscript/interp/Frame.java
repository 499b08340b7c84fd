package io.cnnscript.interp;

/** The local variables of one function call; parent is the frame the function was defined in. */
final class Frame {
    final Object[] slots;
    final Frame parent;
    final Interpreter in;
    Object returnValue;
    /** The statement level of the call, where a returned value must live. */
    int base;

    Frame(Interpreter in, int size, Frame parent) {
        this.in = in;
        this.slots = size == 0 ? NO_SLOTS : new Object[size];
        this.parent = parent;
    }

    private static final Object[] NO_SLOTS = new Object[0];
}

package io.cnnscript.value;

import java.util.Arrays;
import java.util.List;

/** An immutable sequence, written {@code (a, b)}. */
public final class Tuple {

    public static final Tuple EMPTY = new Tuple(new Object[0]);

    private final Object[] items;

    /** Takes ownership of the array: callers must not change it afterwards. */
    public Tuple(Object[] items) {
        this.items = items;
    }

    public static Tuple of(Object... items) {
        return new Tuple(items.clone());
    }

    public static Tuple ofLongs(long[] values) {
        Object[] items = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            items[i] = values[i];
        }
        return new Tuple(items);
    }

    public int size() {
        return items.length;
    }

    public Object get(int i) {
        return items[i];
    }

    public List<Object> asList() {
        return Arrays.asList(items);
    }

    Object[] items() {
        return items;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tuple t && Values.sequenceEquals(asList(), t.asList());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(items);
    }

    @Override
    public String toString() {
        return Values.repr(this);
    }
}

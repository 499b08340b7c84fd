package io.cnnscript.value;

import java.util.ArrayList;
import java.util.List;

/** A mutable list, written {@code [a, b]}. */
public final class PyList {

    private final ArrayList<Object> items;

    public PyList() {
        this.items = new ArrayList<>();
    }

    public PyList(List<Object> items) {
        this.items = new ArrayList<>(items);
    }

    public int size() {
        return items.size();
    }

    public Object get(int i) {
        return items.get(i);
    }

    public void set(int i, Object value) {
        items.set(i, value);
    }

    public void add(Object value) {
        items.add(value);
    }

    /** The live contents. */
    public List<Object> items() {
        return items;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyList l && Values.sequenceEquals(items, l.items);
    }

    @Override
    public int hashCode() {
        return items.hashCode();
    }

    @Override
    public String toString() {
        return Values.repr(this);
    }
}

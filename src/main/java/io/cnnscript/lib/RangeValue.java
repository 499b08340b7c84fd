package io.cnnscript.lib;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** {@code range(start, stop, step)}: ints made on demand, as Python's range. */
public final class RangeValue implements io.cnnscript.value.Values.Named {
    public final long start;
    public final long stop;
    public final long step;

    RangeValue(long start, long stop, long step) {
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    /** type(range(3)) is range, as in Python. */
    @Override
    public String typeName() {
        return "range";
    }

    public long length() {
        return SliceSpec.count(new long[] {start, stop, step});
    }

    public Iterator<Object> iterator() {
        return new Iterator<>() {
            long next = start;

            @Override
            public boolean hasNext() {
                return step > 0 ? next < stop : next > stop;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                long v = next;
                next += step;
                return v;
            }
        };
    }

    @Override
    public String toString() {
        return "range(" + start + ", " + stop + (step == 1 ? ")" : ", " + step + ")");
    }
}

package io.cnnscript.lib;

import io.cnnscript.error.CnnException;
import io.cnnscript.value.Ints;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * {@code range(start, stop, step)}: ints made on demand, as Python's range, with bounds of any
 * size ({@code range(2**63 - 2, 2**63 + 2)} works). While every value fits in a long (the
 * common case) the range is {@link #small} and its long fields are its bounds.
 */
public final class RangeValue implements io.cnnscript.value.Values.Named {
    /** The bounds as longs; meaningful only when {@link #small}. */
    public final long start;
    public final long stop;
    public final long step;
    /**
     * Whether the bounds are longs and counting from start by step stays in a long up to one
     * step past the last value, so that a plain {@code for (i = start; i < stop; i += step)}
     * visits exactly the range.
     */
    public final boolean small;
    private final BigInteger bigStart;
    private final BigInteger bigStop;
    private final BigInteger bigStep;
    private final BigInteger count;

    /** A range over ints (Long or BigInteger); step is not zero. */
    RangeValue(Object start, Object stop, Object step) {
        this.bigStart = Ints.big(start);
        this.bigStop = Ints.big(stop);
        this.bigStep = Ints.big(step);
        BigInteger span = bigStep.signum() > 0 ? bigStop.subtract(bigStart) : bigStart.subtract(bigStop);
        BigInteger s = bigStep.abs();
        this.count = span.signum() <= 0 ? BigInteger.ZERO : span.add(s).subtract(BigInteger.ONE).divide(s);
        boolean longs = start instanceof Long && stop instanceof Long && step instanceof Long;
        this.small = longs && (count.signum() == 0
                || bigStart.add(count.multiply(bigStep)).bitLength() < 64); // one step past the last value
        this.start = longs ? (Long) start : 0;
        this.stop = longs ? (Long) stop : 0;
        this.step = longs ? (Long) step : 1;
    }

    /** type(range(3)) is range, as in Python. */
    @Override
    public String typeName() {
        return "range";
    }

    /** The number of values, of any size. */
    public BigInteger bigLength() {
        return count;
    }

    /** len(): the number of values; beyond 2**63 - 1 an error, as in Python (OverflowError). */
    public long length() {
        if (count.bitLength() >= 64) {
            throw new CnnException("len() of a range of " + count + " ints: a length cannot be more than "
                    + "2**63 - 1 (Python raises OverflowError here too); loop over it instead");
        }
        return count.longValue();
    }

    public Iterator<Object> iterator() {
        if (small) {
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
        return new Iterator<>() {
            BigInteger next = bigStart;
            BigInteger left = count;

            @Override
            public boolean hasNext() {
                return left.signum() > 0;
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                BigInteger v = next;
                next = next.add(bigStep);
                left = left.subtract(BigInteger.ONE);
                return Ints.of(v);
            }
        };
    }

    @Override
    public String toString() {
        return "range(" + bigStart + ", " + bigStop + (bigStep.equals(BigInteger.ONE) ? ")" : ", " + bigStep + ")");
    }
}

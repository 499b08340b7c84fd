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
public final class RangeValue implements io.cnnscript.value.Values.Named, io.cnnscript.value.Values.Sized {
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

    /** bool(range(0)) is false, as in Python. */
    @Override
    public boolean isEmpty() {
        return count.signum() == 0;
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

    /** Whether the int v is one of the range's values: by arithmetic, as Python's range answers it. */
    public boolean contains(BigInteger v) {
        boolean inside = bigStep.signum() > 0 ? v.compareTo(bigStart) >= 0 && v.compareTo(bigStop) < 0
                : v.compareTo(bigStart) <= 0 && v.compareTo(bigStop) > 0;
        return inside && v.subtract(bigStart).mod(bigStep.abs()).signum() == 0;
    }

    /** {@code r[i]}: an int position, negative from the end, as Python's range indexes. */
    public Object get(Object index) {
        BigInteger i = Ints.big(index);
        BigInteger at = i.signum() < 0 ? i.add(count) : i;
        if (at.signum() < 0 || at.compareTo(count) >= 0) {
            throw new CnnException("index " + i + " is out of range for a range of length " + count);
        }
        return Ints.of(bigStart.add(at.multiply(bigStep)));
    }

    /**
     * {@code r[lo:hi:step]}: the range of the selected values, as Python slices a range
     * ({@code range(10)[2:8:2]} is {@code range(2, 8, 2)}). Python's slice.indices rules, on ints
     * of any size.
     */
    public RangeValue slice(SliceSpec slice) {
        BigInteger s = slice.step() == null ? BigInteger.ONE : BigInteger.valueOf(slice.step());
        if (s.signum() == 0) {
            throw new CnnException("slice step cannot be zero");
        }
        BigInteger lo;
        BigInteger hi;
        if (s.signum() > 0) {
            lo = slice.lo() == null ? BigInteger.ZERO : bound(slice.lo(), BigInteger.ZERO, count);
            hi = slice.hi() == null ? count : bound(slice.hi(), BigInteger.ZERO, count);
        } else {
            BigInteger last = count.subtract(BigInteger.ONE);
            lo = slice.lo() == null ? last : bound(slice.lo(), BigInteger.ONE.negate(), last);
            hi = slice.hi() == null ? BigInteger.ONE.negate() : bound(slice.hi(), BigInteger.ONE.negate(), last);
        }
        return new RangeValue(Ints.of(bigStart.add(lo.multiply(bigStep))), Ints.of(bigStart.add(hi.multiply(bigStep))),
                Ints.of(bigStep.multiply(s)));
    }

    /** A slice bound: negative counts from the end, then clamped to [min, max]. */
    private BigInteger bound(long v, BigInteger min, BigInteger max) {
        BigInteger b = BigInteger.valueOf(v);
        if (b.signum() < 0) {
            b = b.add(count);
        }
        return b.max(min).min(max);
    }

    /**
     * Python's range equality: the same values in the same order, so {@code range(0) == range(2, 2)}
     * and {@code range(0, 3, 2) == range(0, 4, 2)}.
     */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RangeValue r)) {
            return false;
        }
        if (!count.equals(r.count)) {
            return false;
        }
        if (count.signum() == 0) {
            return true;
        }
        return bigStart.equals(r.bigStart) && (count.equals(BigInteger.ONE) || bigStep.equals(r.bigStep));
    }

    @Override
    public int hashCode() {
        return count.signum() == 0 ? 0 : count.equals(BigInteger.ONE) ? bigStart.hashCode()
                : bigStart.hashCode() * 31 + bigStep.hashCode();
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

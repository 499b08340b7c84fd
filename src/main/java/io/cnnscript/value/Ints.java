package io.cnnscript.value;

import io.cnnscript.error.CnnException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Script ints are Python's: of any size. An int is a {@link Long} while it fits in 64 bits and
 * a {@link BigInteger} only beyond that, so the common case stays a plain long; every result
 * goes through {@link #of(BigInteger)}, which gives back a Long when it can. Ints are limited to
 * {@link #MAX_BITS} bits, so that no single operation can take long or fill the heap: a result
 * that would be larger is an error before it is computed.
 */
public final class Ints {

    private Ints() {}

    /** The largest int, in bits (about 30,100 decimal digits). */
    public static final int MAX_BITS = 100_000;

    /** The most decimal digits an int of {@link #MAX_BITS} bits can have. */
    public static final int MAX_DIGITS = 30_103;

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    public static boolean isInt(Object v) {
        return v instanceof Long || v instanceof BigInteger;
    }

    public static BigInteger big(Object v) {
        return v instanceof BigInteger b ? b : BigInteger.valueOf((Long) v);
    }

    /** A Long when the value fits in 64 bits, else the BigInteger; an error beyond {@link #MAX_BITS}. */
    public static Object of(BigInteger b) {
        if (b.bitLength() < 64) {
            return b.longValue();
        }
        checkBits(b.bitLength());
        return b;
    }

    /** Refuses an int of more than {@link #MAX_BITS} bits. */
    public static void checkBits(long bits) {
        if (bits > MAX_BITS) {
            throw tooLarge(bits);
        }
    }

    public static CnnException tooLarge(long bits) {
        return new CnnException("int too large: the result would have more than " + String.format("%,d", MAX_BITS)
                + " bits, the limit for ints (about 30,000 digits)");
    }

    /** A Python int outside int64 meeting a tensor: PyTorch's own error. */
    public static CnnException overflowInTensor(Object v) {
        return new CnnException("Overflow when unpacking long: " + brief(v)
                + " is outside int64, the range of a tensor's ints");
    }

    /** The text an int shows in messages: whole when short, else its size. */
    public static String brief(Object v) {
        String s = v.toString();
        return s.length() <= 40 ? s : "an int of " + (s.charAt(0) == '-' ? s.length() - 1 : s.length()) + " digits";
    }

    /** The int as a double, correctly rounded, as Python's float(n); too large is an error. */
    public static double toDouble(Object v) {
        if (v instanceof Long n) {
            return n;
        }
        double d = ((BigInteger) v).doubleValue();
        if (Double.isInfinite(d)) {
            throw new CnnException("int too large to convert to float");
        }
        return d;
    }

    /** The int as a long; one beyond 64 bits is an error naming what it was for. */
    public static long toLong(Object v, String what) {
        if (v instanceof Long n) {
            return n;
        }
        throw new CnnException(what + " is too large: " + brief(v) + " does not fit in 64 bits");
    }

    /**
     * Compares an int with a double exactly, as Python does ({@code 2**53 + 1 > 2.0**53}):
     * negative, zero or positive; the double must not be NaN.
     */
    public static int compare(Object i, double d) {
        if (d == Double.POSITIVE_INFINITY) {
            return -1;
        }
        if (d == Double.NEGATIVE_INFINITY) {
            return 1;
        }
        if (i instanceof Long n && Math.abs(n) <= (1L << 53)) {
            return Double.compare((double) n, d == 0 ? 0.0 : d);
        }
        return new BigDecimal(big(i)).compareTo(new BigDecimal(d));
    }

    /** {@code a / b} for ints: the exact quotient rounded once to a double, as Python computes it. */
    public static double trueDivide(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y && Math.abs(x) <= (1L << 53) && Math.abs(y) <= (1L << 53)) {
            return (double) x / y; // both exact as doubles: one IEEE division rounds once
        }
        BigInteger x = big(a);
        BigInteger y = big(b);
        boolean negative = x.signum() * y.signum() < 0;
        x = x.abs();
        y = y.abs();
        if (x.signum() == 0) {
            return negative ? -0.0 : 0.0;
        }
        // Scale so that the quotient has 55 or 56 bits (fewer when the result is subnormal) and
        // fold the remainder into a sticky bit: rounding that to the double's precision, half to
        // even, rounds the exact quotient once.
        int shift = Math.max(x.bitLength() - y.bitLength() - 55, -1076);
        BigInteger[] qr = shift >= 0 ? x.divideAndRemainder(y.shiftLeft(shift))
                : x.shiftLeft(-shift).divideAndRemainder(y);
        long q = qr[0].longValueExact();
        if (qr[1].signum() != 0) {
            q |= 1;
        }
        double d = roundScaled(q, shift);
        if (Double.isInfinite(d)) {
            throw new CnnException("int division result too large for a float");
        }
        return negative ? -d : d;
    }

    /** {@code q * 2^s} rounded once, half to even, to a double (53 bits, or the subnormal grid). */
    static double roundScaled(long q, int s) {
        int bits = 64 - Long.numberOfLeadingZeros(q);
        int exponent = bits - 1 + s;
        int drop = exponent >= -1022 ? bits - 53 : -1074 - s;
        if (drop > 62) {
            return 0.0;
        }
        if (drop > 0) {
            long kept = q >>> drop;
            long rest = q & ((1L << drop) - 1);
            long half = 1L << (drop - 1);
            if (rest > half || (rest == half && (kept & 1) == 1)) {
                kept++;
            }
            q = kept;
            s += drop;
        }
        return Math.scalb((double) q, s);
    }

    static boolean fitsLong(BigInteger b) {
        return b.compareTo(LONG_MIN) >= 0 && b.compareTo(LONG_MAX) <= 0;
    }
}

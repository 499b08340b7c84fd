package io.cnnscript.lib;

import io.cnnscript.error.CnnException;

/** A slice {@code lo:hi:step} as evaluated; null parts were left out. */
public record SliceSpec(Long lo, Long hi, Long step) {

    /** The indices this slice selects in a sequence of the given length, Python's rules. */
    public long[] resolve(long length) {
        long s = step == null ? 1 : step;
        if (s == 0) {
            throw new CnnException("slice step cannot be zero");
        }
        long start;
        long stop;
        if (s > 0) {
            start = lo == null ? 0 : clamp(lo < 0 ? lo + length : lo, 0, length);
            stop = hi == null ? length : clamp(hi < 0 ? hi + length : hi, 0, length);
        } else {
            start = lo == null ? length - 1 : clamp(lo < 0 ? lo + length : lo, -1, length - 1);
            stop = hi == null ? -1 : clamp(hi < 0 ? hi + length : hi, -1, length - 1);
        }
        return new long[] {start, stop, s};
    }

    /** How many items {@link #resolve} selects. */
    public static long count(long[] r) {
        long start = r[0];
        long stop = r[1];
        long s = r[2];
        if (s > 0) {
            return stop > start ? (stop - start + s - 1) / s : 0;
        }
        return start > stop ? (start - stop - s - 1) / -s : 0;
    }

    private static long clamp(long v, long min, long max) {
        return Math.max(min, Math.min(max, v));
    }
}

package io.cnnscript.value;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Reads a tensor's elements into Java arrays without leaving converted copies behind. */
public final class TensorData {

    private TensorData() {}

    public static double[] doubles(NDArray a) {
        DataType t = a.getDataType();
        if (t == DataType.FLOAT64) {
            return a.toDoubleArray();
        }
        if (t == DataType.FLOAT32) {
            float[] f = a.toFloatArray();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (t == DataType.INT64) {
            long[] l = a.toLongArray();
            double[] d = new double[l.length];
            for (int i = 0; i < l.length; i++) {
                d[i] = l[i];
            }
            return d;
        }
        try (NDArray c = a.toType(DataType.FLOAT64, true)) {
            return c.toDoubleArray();
        }
    }

    public static long[] longs(NDArray a) {
        if (a.getDataType() == DataType.INT64) {
            return a.toLongArray();
        }
        try (NDArray c = a.toType(DataType.INT64, true)) {
            return c.toLongArray();
        }
    }

    public static boolean[] booleans(NDArray a) {
        if (a.getDataType() == DataType.BOOLEAN) {
            return a.toBooleanArray();
        }
        try (NDArray c = a.neq(0)) {
            return c.toBooleanArray();
        }
    }

    /** The one element of a one-element tensor, as a double. */
    public static double scalar(NDArray a) {
        return doubles(a)[0];
    }
}

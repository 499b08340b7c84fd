package io.cnnscript.value;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Renders DJL arrays exactly like PyTorch's {@code repr(tensor)} with the default print options
 * (precision 4, threshold 1000, edgeitems 3, linewidth 80, automatic scientific mode).
 *
 * <p>The layout rules follow PyTorch's {@code torch/_tensor_str.py}: one shared column width for the
 * whole tensor, a per-tensor choice between integer, fixed and scientific float notation, rows
 * wrapped at the line width, and {@code ...} elision when the tensor has more than 1000 elements.
 */
public final class TensorFormat {

    private static final int PRECISION = 4;
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;
    private static final String PREFIX = "tensor(";

    private TensorFormat() {
    }

    /** PyTorch-style repr, e.g. {@code tensor([[19., 25.],\n        [37., 43.]])}. */
    public static String repr(NDArray a) {
        return repr(a, null);
    }

    /**
     * PyTorch-style repr with one extra trailing annotation such as {@code requires_grad=True} or
     * {@code grad_fn=<AddBackward0>}; it is placed after any dtype/size annotation, as PyTorch does.
     * A null or empty suffix adds nothing.
     *
     * @throws IllegalArgumentException for element types PyTorch-style printing does not cover
     *     (complex, string)
     */
    public static String repr(NDArray a, String suffix) {
        Shape shape = a.getShape();
        DataType dtype = a.getDataType();
        List<String> suffixes = new ArrayList<>();
        String body;
        if (shape.size() == 0) {
            // Empty tensors show their shape unless it is the plain (0,) vector, and always show a
            // non-float32 dtype because there are no elements to hint at it.
            if (shape.dimension() != 1) {
                suffixes.add("size=" + shape(shape));
            }
            if (dtype != DataType.FLOAT32) {
                suffixes.add("dtype=" + torchName(dtype));
            }
            body = "[]";
        } else {
            if (dtype != DataType.FLOAT32 && dtype != DataType.INT64 && dtype != DataType.BOOLEAN) {
                suffixes.add("dtype=" + torchName(dtype));
            }
            body = body(a, shape, dtype, PREFIX.length());
        }
        if (suffix != null && !suffix.isEmpty()) {
            suffixes.add(suffix);
        }
        return addSuffixes(PREFIX + body, suffixes, PREFIX.length());
    }

    /** Python tuple notation for a shape: {@code (3, 2)}, {@code (5,)}, {@code ()}. */
    public static String shape(Shape s) {
        long[] dims = s.getShape();
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        if (dims.length == 1) {
            sb.append(','); // a one-element Python tuple keeps its trailing comma
        }
        return sb.append(')').toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Layout

    private static String body(NDArray a, Shape shape, DataType dtype, int indent) {
        long[] dims = shape.getShape();
        long numel = shape.size();
        if (numel > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor too large to print: " + shape(shape));
        }
        boolean summarize = numel > THRESHOLD;
        int[] strides = new int[dims.length];
        int stride = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            strides[d] = stride;
            stride *= (int) dims[d];
        }
        // The column width and notation are derived only from the elements that will be shown.
        IntList shown = new IntList();
        collectShown(dims, strides, 0, 0, summarize, shown);
        Cells cells = cells(a, dtype, shown.toArray());
        StringBuilder sb = new StringBuilder();
        render(sb, dims, strides, 0, 0, indent, summarize, cells);
        return sb.toString();
    }

    /** True when dimension {@code size} is elided to its first and last EDGE_ITEMS entries. */
    private static boolean elided(boolean summarize, long size) {
        return summarize && size > 2L * EDGE_ITEMS;
    }

    private static void collectShown(long[] dims, int[] strides, int dim, int offset,
                                     boolean summarize, IntList out) {
        if (dim == dims.length) {
            out.add(offset);
            return;
        }
        long size = dims[dim];
        for (long i = 0; i < size; i++) {
            if (elided(summarize, size) && i == EDGE_ITEMS) {
                i = size - EDGE_ITEMS;
            }
            collectShown(dims, strides, dim + 1, offset + (int) i * strides[dim], summarize, out);
        }
    }

    private static void render(StringBuilder sb, long[] dims, int[] strides, int dim, int offset,
                               int indent, boolean summarize, Cells cells) {
        if (dims.length == 0) {
            sb.append(cells.format(0));
            return;
        }
        long size = dims[dim];
        boolean elide = elided(summarize, size);
        if (dim == dims.length - 1) {
            renderRow(sb, strides[dim], offset, size, indent, elide, cells);
            return;
        }
        // Sub-blocks are separated by one blank line less than the number of dimensions they span.
        String separator = "," + "\n".repeat(dims.length - dim - 1) + " ".repeat(indent + 1);
        sb.append('[');
        for (long i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(separator);
            }
            if (elide && i == EDGE_ITEMS) {
                sb.append("...").append(separator);
                i = size - EDGE_ITEMS;
            }
            render(sb, dims, strides, dim + 1, offset + (int) i * strides[dim], indent + 1,
                    summarize, cells);
        }
        sb.append(']');
    }

    /** The innermost dimension: fixed-width cells, wrapped so each line fits in LINE_WIDTH. */
    private static void renderRow(StringBuilder sb, int stride, int offset, long size, int indent,
                                  boolean elide, Cells cells) {
        List<String> items = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            if (elide && i == EDGE_ITEMS) {
                items.add(" ...");
                i = size - EDGE_ITEMS;
            }
            items.add(cells.format(offset + (int) i * stride));
        }
        // Each cell costs its width plus ", "; the ellipsis counts as a cell too.
        int perLine = Math.max(1, Math.floorDiv(LINE_WIDTH - indent, cells.width + 2));
        String lineBreak = ",\n" + " ".repeat(indent + 1);
        sb.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                sb.append(i % perLine == 0 ? lineBreak : ", ");
            }
            sb.append(items.get(i));
        }
        sb.append(']');
    }

    private static String addSuffixes(String text, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(text);
        // PyTorch's running line length over-counts by two; mirrored so wrapping happens at the same spot.
        int lastLineLength = text.length() - text.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLength + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLength = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLength += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Cell formatting

    /** Formats single elements, right-aligned to one width shared by the whole tensor. */
    private abstract static class Cells {
        int width = 1;

        abstract String text(int index);

        final String format(int index) {
            String s = text(index);
            return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
        }

        final void fitWidth(int[] shown) {
            for (int i : shown) {
                width = Math.max(width, text(i).length());
            }
        }
    }

    private static Cells cells(NDArray a, DataType dtype, int[] shown) {
        Cells cells;
        switch (dtype) {
            case FLOAT32: {
                float[] f = a.toFloatArray();
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                return new FloatCells(d, shown);
            }
            case FLOAT64:
                return new FloatCells(a.toDoubleArray(), shown);
            case FLOAT16:
            case BFLOAT16: {
                // PyTorch prints half types after widening them to float32, which is exact.
                ByteBuffer bb = a.toByteBuffer().order(ByteOrder.nativeOrder());
                double[] d = new double[bb.remaining() / 2];
                for (int i = 0; i < d.length; i++) {
                    short bits = bb.getShort();
                    d[i] = dtype == DataType.FLOAT16 ? halfToFloat(bits)
                            : Float.intBitsToFloat((bits & 0xffff) << 16);
                }
                return new FloatCells(d, shown);
            }
            case INT64:
                cells = new IntCells(a.toLongArray(), false);
                break;
            case INT32:
                cells = new IntCells(widen(a.toIntArray()), false);
                break;
            case UINT8:
                cells = new IntCells(widen(a.toUint8Array()), false);
                break;
            case INT8: {
                byte[] b = a.toByteArray();
                long[] l = new long[b.length];
                for (int i = 0; i < b.length; i++) {
                    l[i] = b[i];
                }
                cells = new IntCells(l, false);
                break;
            }
            case INT16:
            case UINT16:
            case UINT32:
            case UINT64:
                cells = new IntCells(readIntegers(a, dtype), dtype == DataType.UINT64);
                break;
            case BOOLEAN: {
                boolean[] b = a.toBooleanArray();
                cells = new Cells() {
                    @Override
                    String text(int index) {
                        return b[index] ? "True" : "False";
                    }
                };
                break;
            }
            default:
                throw new IllegalArgumentException("cannot print tensor of type " + dtype);
        }
        cells.fitWidth(shown);
        return cells;
    }

    private static long[] widen(int[] values) {
        return Arrays.stream(values).asLongStream().toArray();
    }

    /** Integer types without a dedicated DJL bulk getter, decoded from the raw native buffer. */
    private static long[] readIntegers(NDArray a, DataType dtype) {
        ByteBuffer bb = a.toByteBuffer().order(ByteOrder.nativeOrder());
        long[] out = new long[bb.remaining() / dtype.getNumOfBytes()];
        for (int i = 0; i < out.length; i++) {
            switch (dtype) {
                case INT16:
                    out[i] = bb.getShort();
                    break;
                case UINT16:
                    out[i] = bb.getShort() & 0xffffL;
                    break;
                case UINT32:
                    out[i] = bb.getInt() & 0xffffffffL;
                    break;
                default:
                    out[i] = bb.getLong();
                    break;
            }
        }
        return out;
    }

    /** IEEE binary16 to float32; every half value is exactly representable as a float. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float v = mantissa * 0x1p-24f; // subnormal (or zero)
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static final class IntCells extends Cells {
        private final long[] values;
        private final boolean unsigned;

        IntCells(long[] values, boolean unsigned) {
            this.values = values;
            this.unsigned = unsigned;
        }

        @Override
        String text(int index) {
            return unsigned ? Long.toUnsignedString(values[index]) : Long.toString(values[index]);
        }
    }

    /**
     * Float notation is chosen once per tensor from the shown nonzero finite values: integer style
     * ("19.") when all are whole, scientific when magnitudes span more than 1000x or leave the
     * 1e-4..1e8 range, else fixed with four decimals.
     */
    private static final class FloatCells extends Cells {
        private final double[] values;
        private boolean intMode = true;
        private boolean sciMode = false;

        FloatCells(double[] values, int[] shown) {
            this.values = values;
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            boolean any = false;
            for (int i : shown) {
                double v = values[i];
                if (v == 0 || !Double.isFinite(v)) {
                    continue;
                }
                any = true;
                min = Math.min(min, Math.abs(v));
                max = Math.max(max, Math.abs(v));
                if (v != Math.ceil(v)) {
                    intMode = false;
                }
            }
            if (!any) {
                return; // zeros, nan and inf only: integer style, width 1
            }
            double ratio = max / min;
            sciMode = ratio > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
            for (int i : shown) {
                double v = values[i];
                if (v == 0 || !Double.isFinite(v)) {
                    continue; // PyTorch sizes columns from nonzero finite values only
                }
                int len;
                if (sciMode) {
                    len = scientific(v).length();
                } else if (intMode) {
                    len = fixed(v, 0).length() + 1; // room for the trailing '.'
                } else {
                    len = fixed(v, PRECISION).length();
                }
                width = Math.max(width, len);
            }
        }

        @Override
        String text(int index) {
            double v = values[index];
            if (sciMode) {
                return scientific(v);
            }
            if (intMode) {
                return Double.isFinite(v) ? fixed(v, 0) + "." : fixed(v, 0);
            }
            return fixed(v, PRECISION);
        }
    }

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }

    private static String sign(double v) {
        // The sign bit, so that -0.0 and tiny negatives rounding to zero keep their '-', like Python.
        return Double.doubleToRawLongBits(v) < 0 ? "-" : "";
    }

    /** Python's {@code "{:.Nf}"}: exact binary value rounded half-to-even. */
    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        return sign(v) + new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN)
                .toPlainString();
    }

    /** Python's {@code "{:.4e}"}: mantissa with PRECISION decimals, exponent signed, two digits minimum. */
    static String scientific(double v) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        double abs = Math.abs(v);
        if (abs == 0) {
            return sign(v) + "0." + "0".repeat(PRECISION) + "e+00";
        }
        BigDecimal rounded = new BigDecimal(abs)
                .round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
        // Exponent taken after rounding so 9.99996 becomes 1.0000e+01.
        int exponent = rounded.precision() - rounded.scale() - 1;
        BigDecimal mantissa = rounded.movePointLeft(exponent)
                .setScale(PRECISION, RoundingMode.UNNECESSARY);
        int e = Math.abs(exponent);
        return sign(v) + mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+")
                + (e < 10 ? "0" : "") + e;
    }

    private static String torchName(DataType dtype) {
        switch (dtype) {
            case FLOAT32: return "torch.float32";
            case FLOAT64: return "torch.float64";
            case FLOAT16: return "torch.float16";
            case BFLOAT16: return "torch.bfloat16";
            case UINT8: return "torch.uint8";
            case INT8: return "torch.int8";
            case INT16: return "torch.int16";
            case INT32: return "torch.int32";
            case INT64: return "torch.int64";
            case UINT16: return "torch.uint16";
            case UINT32: return "torch.uint32";
            case UINT64: return "torch.uint64";
            case BOOLEAN: return "torch.bool";
            case COMPLEX64: return "torch.complex64";
            default: return "torch." + dtype.name().toLowerCase();
        }
    }

    /** Minimal growable int array, to avoid boxing every shown index. */
    private static final class IntList {
        private int[] data = new int[16];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}

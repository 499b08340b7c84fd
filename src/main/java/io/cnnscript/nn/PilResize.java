package io.cnnscript.nn;

/**
 * Bilinear resizing of 8-bit grey images exactly as Pillow does it ({@code Image.resize(size,
 * BILINEAR)}, which torchvision's {@code transforms.Resize} calls on the PIL images of
 * Fashion-MNIST, so which d2l's {@code load_data_fashion_mnist(resize=96)} gives): Pillow's
 * antialiased filter with its support widened when shrinking, coefficients in 22-bit fixed
 * point, a horizontal pass rounded to bytes, then a vertical pass. Written from Pillow's
 * algorithm (Resample.c); checked pixel for pixel against Pillow in the tests.
 */
final class PilResize {

    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** One axis's taps: for each output position, the first input index, the count, and the weights. */
    private final int[] first;
    private final int[] count;
    private final int[][] weights;
    private final int in;
    private final int out;

    PilResize(int in, int out) {
        this.in = in;
        this.out = out;
        first = new int[out];
        count = new int[out];
        weights = new int[out][];
        double scale = (double) in / out;
        double filterscale = Math.max(scale, 1.0);
        double support = 1.0 * filterscale;
        for (int xx = 0; xx < out; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > in) {
                xmax = in;
            }
            xmax -= xmin;
            double[] k = new double[xmax];
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                double w = triangle((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? k[x] / ww : k[x];
                fixed[x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
            weights[xx] = fixed;
        }
    }

    private static double triangle(double x) {
        x = Math.abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static int clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) {
            return 255;
        }
        if (v <= 0) {
            return 0;
        }
        return v >> PRECISION_BITS;
    }

    /**
     * Resizes the in x in image at {@code src[offset..]} (bytes, row-major) to out x out; the
     * result's pixels (0..255) go to {@code dst}. {@code temp} holds at least out * in ints.
     */
    void resize(byte[] src, int offset, int[] dst, int[] temp) {
        // Horizontal pass, every input row (the vertical taps of a square upscale use them all).
        for (int y = 0; y < in; y++) {
            for (int xx = 0; xx < out; xx++) {
                int ss = 1 << (PRECISION_BITS - 1);
                int[] k = weights[xx];
                int base = offset + y * in + first[xx];
                for (int x = 0; x < count[xx]; x++) {
                    ss += (src[base + x] & 0xff) * k[x];
                }
                temp[y * out + xx] = clip8(ss);
            }
        }
        for (int yy = 0; yy < out; yy++) {
            int[] k = weights[yy];
            for (int xx = 0; xx < out; xx++) {
                int ss = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < count[yy]; y++) {
                    ss += temp[(y + first[yy]) * out + xx] * k[y];
                }
                dst[yy * out + xx] = clip8(ss);
            }
        }
    }
}

package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution through libtorch, guarded against a defect of the libtorch that DJL ships.
 *
 * <p>libtorch 2.7.1 (DJL 0.36's native build) computes a convolution's gradient with respect to
 * its <em>input</em> wrongly when the oneDNN (mkldnn) backend takes the call (float32 on the CPU
 * with a batch of two or more, or a kernel larger than 3x3, or a large input) and the number of
 * output channels per group is not a multiple of 16. Measured on this project's machines (AVX2 and
 * AVX-512 kernels both): {@code conv2d(ones(2, 1, 3, 3), w).sum()} with a 2x2 {@code w} gives an
 * input gradient of w[0, 0] at every output position, where PyTorch gives the sum of the
 * overlapping taps. The forward values and the weight and bias gradients are right; with 16, 32,
 * 48 or 64 output channels the input gradient is right too (tested against PyTorch 1.13 over
 * batch, channels, kernel, stride, padding and dilation, in ConvolutionTest).
 *
 * <p>So, only when the input's gradient will be recorded and the output channels per group are not
 * a multiple of {@link #BLOCK}, the weight (and bias) get zero output channels up to the next
 * multiple, the convolution runs over the padded weight, and the extra output channels are
 * dropped. The channels kept are the same dot products, and gradients flow to the real weight and
 * bias through the padding, so the result is the same computation with a right input gradient.
 * Everywhere else (no gradient for the input, or a multiple of 16 channels) the call goes straight
 * to libtorch. {@link #padsOutputChannels} is the one gate.
 */
public final class Convolution {

    /** oneDNN's output-channel block on AVX-512 (AVX2 uses 8, which 16 also covers). */
    static final long BLOCK = 16;

    private Convolution() {
    }

    /**
     * Whether {@link #conv2d} pads the output channels for this input: its gradient is recorded
     * (gradient mode on and the input is a param or computed from one; DJL's hasGradient() answers for
     * leaves only) and {@code outPerGroup} is not a multiple of
     * {@link #BLOCK}.
     */
    public static boolean padsOutputChannels(NDArray x, long outPerGroup) {
        return outPerGroup % BLOCK != 0 && GradMode.isEnabled() && HostTensors.recordsGradient(x);
    }

    /**
     * {@code torch.nn.functional.conv2d(x, w, b, stride, padding, dilation, groups)} on a 4-D
     * input; {@code b} may be null. The caller owns the result.
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation,
            int groups) {
        Shape ws = w.getShape();
        long out = ws.get(0);
        long perGroup = out / groups;
        if (!padsOutputChannels(x, perGroup)) {
            return x.getNDArrayInternal().convolution(x, w, b, stride, padding, dilation, groups).singletonOrThrow();
        }
        long padded = (perGroup + BLOCK - 1) / BLOCK * BLOCK;
        List<NDArray> temps = new ArrayList<>();
        try {
            NDArray wg = keep(temps, w.reshape(groups, perGroup, ws.get(1), ws.get(2), ws.get(3)));
            NDArray wz = keep(temps, w.getManager().zeros(new Shape(groups, padded - perGroup, ws.get(1), ws.get(2),
                    ws.get(3)), w.getDataType(), w.getDevice()));
            NDArray wc = keep(temps, wg.concat(wz, 1));
            NDArray wp = keep(temps, wc.reshape(groups * padded, ws.get(1), ws.get(2), ws.get(3)));
            NDArray bp = null;
            if (b != null) {
                NDArray bg = keep(temps, b.reshape(groups, perGroup));
                NDArray bz = keep(temps, b.getManager().zeros(new Shape(groups, padded - perGroup), b.getDataType(),
                        b.getDevice()));
                NDArray bc = keep(temps, bg.concat(bz, 1));
                bp = keep(temps, bc.reshape(groups * padded));
            }
            NDList res = x.getNDArrayInternal().convolution(x, wp, bp, stride, padding, dilation, groups);
            NDArray yp = keep(temps, res.singletonOrThrow());
            Shape ys = yp.getShape();
            NDArray yg = keep(temps, yp.reshape(ys.get(0), groups, padded, ys.get(2), ys.get(3)));
            NDArray kept = keep(temps, yg.get(new NDIndex(":, :, :{}", perGroup)));
            return kept.reshape(ys.get(0), out, ys.get(2), ys.get(3));
        } finally {
            // The recorded graph holds its own references to what backward needs.
            for (NDArray t : temps) {
                t.close();
            }
        }
    }

    private static NDArray keep(List<NDArray> temps, NDArray a) {
        temps.add(a);
        return a;
    }
}

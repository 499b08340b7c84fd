package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.Dtypes;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Values;

/**
 * Adaptive average or max pooling to a fixed (h, w) output, whatever the input's size
 * (PyTorch's AdaptiveAvgPool2d and AdaptiveMaxPool2d); global average pooling is the (1, 1) case.
 */
final class AdaptivePool extends Layer {

    private final boolean max;
    private final Shape size;
    private final String text;

    private AdaptivePool(boolean max, Shape size, String text) {
        this.max = max;
        this.size = size;
        this.text = text;
    }

    static AdaptivePool of(boolean max, Object sizeArg) {
        String kind = max ? "AdaptiveMaxPool" : "AdaptiveAvgPool";
        Shape size = Conversions.pair(sizeArg, kind + " output_size");
        for (long d : size.getShape()) {
            if (d <= 0) {
                throw new CnnException(kind + " output_size must be positive, got " + Values.repr(sizeArg));
            }
        }
        return new AdaptivePool(max, size, kind + "(output_size=" + Values.repr(sizeArg) + ")");
    }

    /** d2l's GlobalAvgPool2d: the mean of each channel, (N, C, H, W) to (N, C, 1, 1). */
    static AdaptivePool global() {
        return new AdaptivePool(false, new Shape(1, 1), "GlobalAvgPool()");
    }

    @Override
    protected String text() {
        return text;
    }

    @Override
    protected String mismatch(Shape in) {
        if (in.dimension() != 4 && in.dimension() != 3) {
            return "expects an input of shape (N, C, H, W), got " + TensorFormat.shape(in);
        }
        for (int i = in.dimension() - 2; i < in.dimension(); i++) {
            if (in.get(i) == 0) {
                return "cannot pool an empty input of shape " + TensorFormat.shape(in);
            }
        }
        return null;
    }

    @Override
    protected String mismatch(ai.djl.ndarray.types.DataType type) {
        if (!type.isFloating()) {
            return "expects a float input, got " + Dtypes.name(type) + " (use .float())";
        }
        return null;
    }

    @Override
    protected NDArray forward(Runtime rt, NDArray x, boolean training) {
        if (x.getShape().dimension() == 3) {
            // Unbatched (C, H, W), as PyTorch takes it: pool a batch of one.
            try (NDArray batch = x.expandDims(0); NDArray y = forward(rt, batch, training)) {
                return y.squeeze(0);
            }
        }
        return io.cnnscript.lib.Torch.adaptivePool(x, size, max);
    }
}

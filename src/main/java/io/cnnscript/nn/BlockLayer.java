package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Convolution;
import io.cnnscript.lib.Dtypes;
import io.cnnscript.value.PyFormat;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A layer backed by a DJL block: Conv, Linear, MaxPool, AvgPool, BatchNorm, Dropout. The block
 * makes its parameters from the shape of its first input (DJL's {@code initialize}), in a manager
 * of their own that lives as long as the engine.
 */
final class BlockLayer extends Layer {

    private final Block block;
    private final String text;
    private final Function<Shape, String> check;
    private final boolean hasParams;
    /** An input shape the layer fits, to make its parameters before a first call (load). */
    private Shape declared;
    /** Elements of the largest parameter and of all of them (doubles: no overflow for huge sizes). */
    private double largestParam;
    private double totalParams;
    private NDManager manager;
    private ParameterStore store;
    /** For a Conv: its stride, padding and groups, to run it through {@link Convolution} when needed. */
    private ConvArgs convArgs;

    private record ConvArgs(Shape stride, Shape padding, int groups, long outPerGroup) {
    }

    private BlockLayer(Block block, String text, Function<Shape, String> check, boolean hasParams) {
        this.block = block;
        this.text = text;
        this.check = check;
        this.hasParams = hasParams;
    }

    /** BatchNorm's num_batches_tracked: an int64 scalar counted up by each training forward. */
    private boolean countsBatches;
    private NDArray batchesTracked;

    @Override
    protected String text() {
        return text;
    }

    /** Takes one unbatched (C, H, W) example as PyTorch's Conv2d and pooling layers do: as a batch of one. */
    private boolean unbatched;

    private BlockLayer unbatched() {
        this.unbatched = true;
        return this;
    }

    @Override
    protected String mismatch(Shape in) {
        return check.apply(unbatched && in.dimension() == 3 ? new Shape(1).addAll(in) : in);
    }

    private BlockLayer declare(Shape input) {
        this.declared = input;
        return this;
    }

    /** Dropout's probability (the block does not tell it). */
    private float dropoutRate;

    /** The initializer that draws the weight and bias (Conv, Linear); null for layers that draw none. */
    private Initializer randomInit;

    private BlockLayer randomInit(Initializer init) {
        this.randomInit = init;
        return this;
    }

    private BlockLayer params(double largest, double total) {
        this.largestParam = largest;
        this.totalParams = total;
        return this;
    }

    /**
     * Refuses a layer whose largest parameter would hold more elements than the engine allows,
     * before anything is allocated (Linear(50000, 50000) is 2.5e9 floats).
     */
    static BlockLayer checked(Runtime rt, BlockLayer layer) {
        long max = rt.maxTensorElements();
        if (layer.largestParam > max) {
            throw new CnnException(layer.text + " would hold a weight of " + String.format(java.util.Locale.ROOT, "%,.0f",
                    layer.largestParam) + " elements; the limit is " + String.format(java.util.Locale.ROOT, "%,d", max));
        }
        return layer;
    }

    private void initialize(Runtime rt, Shape input) {
        rt.noteAutograd();
        if (store == null) {
            manager = rt.newOwnedManager(this, (long) Math.min(Long.MAX_VALUE, totalParams * 4));
            store = new ParameterStore(manager, false);
        }
        if (!block.isInitialized()) {
            rt.checkNew(text + "'s parameters", totalParams, 4);
            if (randomInit == null) {
                block.initialize(manager, DataType.FLOAT32, input);
            } else {
                // The weight and bias come from the engine's random stream; replaying draws the
                // same sizes in the same order (DJL initializes parameters in their listed order).
                rt.drawRandom((long) totalParams, () -> {
                    block.initialize(manager, DataType.FLOAT32, input);
                    return null;
                }, m -> {
                    for (Pair<String, Parameter> p : block.getParameters()) {
                        Parameter.Type t = p.getValue().getType();
                        if (t == Parameter.Type.WEIGHT || t == Parameter.Type.BIAS) {
                            randomInit.initialize(m, p.getValue().getArray().getShape(), DataType.FLOAT32);
                        }
                    }
                });
            }
        }
        if (countsBatches && batchesTracked == null) {
            batchesTracked = io.cnnscript.lib.JavaData.own(manager.create(0L));
        }
    }

    @Override
    protected void materializeOwn(Runtime rt) {
        if (hasParams && !block.isInitialized()) {
            initialize(rt, declared);
        }
    }

    @Override
    protected NDArray forward(Runtime rt, NDArray x, boolean training) {
        if (unbatched && x.getShape().dimension() == 3) {
            // A batch of one; the batched input and output are views of this call's own, closed here.
            try (NDArray one = x.expandDims(0); NDArray y = batched(rt, one, training)) {
                return y.squeeze(0);
            }
        }
        return batched(rt, x, training);
    }

    private NDArray batched(Runtime rt, NDArray x, boolean training) {
        // The output's size, from the block's shape inference, before libtorch allocates it.
        Shape out = block.getOutputShapes(new Shape[] {x.getShape()})[0];
        rt.checkNew(text + " on an input of shape " + TensorFormat.shape(x.getShape()) + " gives "
                + TensorFormat.shape(out) + ", which", elements(out), 4);
        if (store == null || !block.isInitialized()) {
            initialize(rt, x.getShape());
        }
        NDArray y;
        if (training && block instanceof Dropout) {
            // Dropout's mask comes from the engine's random stream; a replay draws a mask of the
            // same size (the input's values play no part in it).
            float rate = dropoutRate;
            Shape shape = x.getShape();
            y = rt.drawRandom(shape.size(), () -> block.forward(store, new NDList(x), true).singletonOrThrow(),
                    m -> Dropout.dropout(m.zeros(shape), rate, true));
        } else if (convArgs != null && x.getShape().dimension() == 4
                && Convolution.padsOutputChannels(x, convArgs.outPerGroup())) {
            // libtorch's input gradient is wrong for these channel counts: see Convolution.
            Parameter bias = block.getParameters().get("bias");
            y = Convolution.conv2d(x, store.getValue(block.getParameters().get("weight"), x.getDevice(), training),
                    bias == null ? null : store.getValue(bias, x.getDevice(), training), convArgs.stride(),
                    convArgs.padding(), new Shape(1, 1), convArgs.groups());
        } else {
            y = block.forward(store, new NDList(x), training).singletonOrThrow();
        }
        if (countsBatches && training) {
            batchesTracked.addi(1);
        }
        return y;
    }

    @Override
    protected List<Param> ownState() {
        if (!hasParams || !block.isInitialized()) {
            return List.of();
        }
        List<Param> out = new ArrayList<>();
        List<Param> buffers = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            String name = switch (param.getType()) {
                case GAMMA -> "weight";
                case BETA -> "bias";
                case RUNNING_MEAN -> "running_mean";
                case RUNNING_VAR -> "running_var";
                default -> param.getName();
            };
            if (param.requiresGradient()) {
                out.add(new Param(name, param.getArray(), true));
            } else {
                buffers.add(new Param(name, param.getArray(), false));
            }
        }
        out.addAll(buffers);
        if (batchesTracked != null) {
            out.add(new Param("num_batches_tracked", batchesTracked, false));
        }
        return out;
    }

    // ------------------------------------------------------------------ the layers

    /** PyTorch's default for Conv2d and Linear: weight and bias uniform in +-1/sqrt(fan_in). */
    private static Initializer uniformFanIn(long fanIn) {
        float bound = (float) (1 / Math.sqrt(fanIn));
        return (m, shape, dtype) -> m.randomUniform(-bound, bound, shape, dtype);
    }

    private static String pairText(Shape s) {
        return "(" + s.get(0) + ", " + s.get(1) + ")";
    }

    static BlockLayer conv(long in, long out, Shape kernel, Shape padding, Shape stride, long groups, boolean bias) {
        positive(in, "Conv in_channels");
        positive(out, "Conv out_channels");
        positive(kernel, "Conv kernel_size");
        positive(stride, "Conv stride");
        nonNegative(padding, "Conv padding");
        positive(groups, "Conv groups");
        if (in % groups != 0) {
            throw new CnnException("Conv in_channels must be divisible by groups, got " + in + " and groups=" + groups);
        }
        if (out % groups != 0) {
            throw new CnnException("Conv out_channels must be divisible by groups, got " + out + " and groups=" + groups);
        }
        Block block = Conv2d.builder().setKernelShape(kernel).setFilters((int) out).optStride(stride)
                .optPadding(padding).optGroups((int) groups).optBias(bias).build();
        Initializer init = uniformFanIn(in / groups * kernel.get(0) * kernel.get(1));
        block.setInitializer(init, Parameter.Type.WEIGHT);
        if (bias) {
            block.setInitializer(init, Parameter.Type.BIAS);
        }
        String text = "Conv(" + in + ", " + out + ", kernel_size=" + pairText(kernel) + ", stride=" + pairText(stride)
                + (padding.get(0) != 0 || padding.get(1) != 0 ? ", padding=" + pairText(padding) : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias ? "" : ", bias=False") + ")";
        BlockLayer layer = new BlockLayer(block, text, s -> {
            String why = floatInput(s, 4, "(batch, " + in + ", height, width)");
            if (why != null) {
                return why;
            }
            if (s.get(1) != in) {
                return "expects an input of shape (N, " + in + ", H, W) (" + in + " channel" + (in == 1 ? "" : "s")
                        + "), got " + TensorFormat.shape(s);
            }
            return windowFits(s, kernel, padding, "kernel");
        }, true).unbatched().declare(new Shape(1, in, kernel.get(0), kernel.get(1))).randomInit(init)
                .params((double) out * (in / groups) * kernel.get(0) * kernel.get(1),
                        (double) out * (in / groups) * kernel.get(0) * kernel.get(1) + out);
        layer.convArgs = new ConvArgs(stride, padding, (int) groups, out / groups);
        return layer;
    }

    static BlockLayer linear(long in, long out, boolean bias) {
        positive(in, "Linear in_features");
        positive(out, "Linear out_features");
        Block block = Linear.builder().setUnits(out).optBias(bias).build();
        Initializer init = uniformFanIn(in);
        block.setInitializer(init, Parameter.Type.WEIGHT);
        if (bias) {
            block.setInitializer(init, Parameter.Type.BIAS);
        }
        String text = "Linear(in_features=" + in + ", out_features=" + out + ", bias=" + (bias ? "True" : "False") + ")";
        return new BlockLayer(block, text, s -> {
            if (s.dimension() == 0 || s.get(s.dimension() - 1) != in) {
                return "expects an input of shape (N, " + in + "), got " + TensorFormat.shape(s)
                        + (s.dimension() > 2 ? " (put Flatten before it)" : "");
            }
            return null;
        }, true).declare(new Shape(1, in)).randomInit(init).params((double) out * in, (double) out * in + out);
    }

    /**
     * Max or average pooling over 2-D windows. The text keeps kernel, stride and padding as the
     * script gave them (an int or a pair), as PyTorch prints them.
     */
    static BlockLayer pool(boolean max, Object kernelArg, Object paddingArg, Object strideArg) {
        String kind = max ? "MaxPool" : "AvgPool";
        Shape kernel = io.cnnscript.lib.Conversions.pair(kernelArg, kind + " kernel_size");
        Shape padding = io.cnnscript.lib.Conversions.pair(paddingArg, kind + " padding");
        Object strideGiven = io.cnnscript.lib.Conversions.isNone(strideArg) ? kernelArg : strideArg;
        Shape stride = io.cnnscript.lib.Conversions.pair(strideGiven, kind + " stride");
        positive(kernel, kind + " kernel_size");
        positive(stride, kind + " stride");
        nonNegative(padding, kind + " padding");
        for (int i = 0; i < 2; i++) {
            if (padding.get(i) * 2 > kernel.get(i)) {
                throw new CnnException(kind + " padding should be at most half of the kernel size, got padding="
                        + Values.repr(paddingArg) + " for kernel_size=" + Values.repr(kernelArg));
            }
        }
        Block block = max ? Pool.maxPool2dBlock(kernel, stride, padding, false)
                : Pool.avgPool2dBlock(kernel, stride, padding, false, true);
        String text = kind + "(kernel_size=" + Values.repr(kernelArg) + ", stride=" + Values.repr(strideGiven)
                + ", padding=" + Values.repr(paddingArg) + ")";
        return new BlockLayer(block, text, s -> {
            if (s.dimension() != 4) {
                return "expects an input of shape (N, C, H, W) or (C, H, W), got " + TensorFormat.shape(s);
            }
            return windowFits(s, kernel, padding, "window");
        }, false).unbatched();
    }

    static BlockLayer batchNorm(long features, double eps, double momentum) {
        positive(features, "BatchNorm num_features");
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new CnnException("BatchNorm momentum must be between 0 and 1, got " + PyFormat.floatRepr(momentum));
        }
        // DJL's momentum weighs the running value, PyTorch's the new batch: 0.1 there is 0.9 here.
        Block block = BatchNorm.builder().optAxis(1).optEpsilon((float) eps).optMomentum((float) (1 - momentum))
                .build();
        String text = "BatchNorm(" + features + ", eps=" + PyFormat.floatRepr(eps) + ", momentum="
                + PyFormat.floatRepr(momentum) + ")";
        BlockLayer layer = new BlockLayer(block, text, s -> {
            String why = floatInput(s, -1, "(N, " + features + ", ...)");
            if (why != null) {
                return why;
            }
            if (s.dimension() < 2 || s.get(1) != features) {
                return "expects an input of shape (N, " + features + ", ...), got " + TensorFormat.shape(s);
            }
            return null;
        }, true);
        layer.countsBatches = true;
        return layer.declare(new Shape(2, features)).params(features, 4.0 * features);
    }

    static BlockLayer dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new CnnException("Dropout probability must be between 0 and 1, got " + PyFormat.floatRepr(p));
        }
        Block block = Dropout.builder().optRate((float) p).build();
        BlockLayer layer = new BlockLayer(block, "Dropout(p=" + PyFormat.floatRepr(p) + ")", s -> null, false);
        layer.dropoutRate = (float) p;
        return layer;
    }

    // ------------------------------------------------------------------ checks

    private static double elements(Shape s) {
        double n = 1;
        for (long d : s.getShape()) {
            n *= d;
        }
        return n;
    }

    private static String floatInput(Shape s, int rank, String expected) {
        if (rank > 0 && s.dimension() != rank) {
            return "expects an input of shape " + expected + ", got " + TensorFormat.shape(s);
        }
        return null;
    }

    /** The output of a window over (H, W) must have at least one element. */
    private static String windowFits(Shape s, Shape kernel, Shape padding, String what) {
        int h = s.dimension() - 2;
        for (int i = 0; i < 2; i++) {
            long size = s.get(h + i) + 2 * padding.get(i);
            if (size < kernel.get(i)) {
                return "has a " + kernel.get(0) + "x" + kernel.get(1) + " " + what + " that does not fit an input of shape "
                        + TensorFormat.shape(s) + (padding.get(i) > 0 ? " padded by " + pairText(padding) : "");
            }
        }
        return null;
    }

    /** Blocks compute in float32; libtorch would report another dtype obscurely. */
    @Override
    protected String mismatch(DataType type) {
        if (type != DataType.FLOAT32) {
            return "expects a float32 input, got " + Dtypes.name(type) + " (use .float())";
        }
        return null;
    }

    private static void positive(long v, String what) {
        if (v <= 0) {
            throw new CnnException(what + " must be positive, got " + v);
        }
    }

    private static void positive(Shape s, String what) {
        for (long v : s.getShape()) {
            if (v <= 0) {
                throw new CnnException(what + " must be positive, got " + pairText(s));
            }
        }
    }

    private static void nonNegative(Shape s, String what) {
        for (long v : s.getShape()) {
            if (v < 0) {
                throw new CnnException(what + " cannot be negative, got " + pairText(s));
            }
        }
    }
}

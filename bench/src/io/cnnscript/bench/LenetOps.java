package io.cnnscript.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where a LeNet batch spends its time in libtorch 2.7.1 through DJL: each heavy layer of the
 * notebook's LeNet, forward and backward, on a batch of 256, timed alone. {@code
 * bench/lenet_ops.py} times the same operations in PyTorch from Python, so the two can be put
 * side by side (bench/ops runs both).
 */
public final class LenetOps {

    private LenetOps() {}

    /**
     * Milliseconds per call of fwd+bwd: the median of 7 runs of 20 calls each. The first layer's
     * input needs no gradient, as in training; the others' do.
     */
    static double time(NDManager m, NDArray input, Function<NDArray, NDArray> layer, Shape outShape, boolean inputGrad) {
        NDArray grad = m.randomUniform(0, 1, outShape);
        Runnable once = () -> {
            try (NDManager s = m.newSubManager()) {
                NDArray x = input.duplicate();
                x.attach(s);
                if (inputGrad) {
                    x.setRequiresGradient(true);
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray y = layer.apply(x);
                    y.attach(s);
                    NDArray l = y.mul(grad).sum();
                    l.attach(s);
                    gc.backward(l);
                }
            }
        };
        for (int i = 0; i < 5; i++) {
            once.run();
        }
        double[] runs = new double[7];
        for (int r = 0; r < runs.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                once.run();
            }
            runs[r] = (System.nanoTime() - t0) / 1e6 / 20;
        }
        Arrays.sort(runs);
        return runs[runs.length / 2];
    }

    public static void main(String[] args) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w1 = m.randomUniform(-0.2f, 0.2f, new Shape(6, 1, 5, 5));
            NDArray b1 = m.zeros(new Shape(6));
            NDArray w2 = m.randomUniform(-0.08f, 0.08f, new Shape(16, 6, 5, 5));
            NDArray b2 = m.zeros(new Shape(16));
            NDArray w3 = m.randomUniform(-0.06f, 0.06f, new Shape(120, 256));
            NDArray b3 = m.zeros(new Shape(120));
            for (NDArray p : new NDArray[] {w1, b1, w2, b2, w3, b3}) {
                p.setRequiresGradient(true);
            }
            NDArray x1 = m.randomUniform(0, 1, new Shape(256, 1, 28, 28));
            NDArray s1 = m.randomUniform(0, 1, new Shape(256, 6, 24, 24));
            NDArray x2 = m.randomUniform(0, 1, new Shape(256, 6, 12, 12));
            NDArray s2 = m.randomUniform(0, 1, new Shape(256, 16, 8, 8));
            NDArray f = m.randomUniform(0, 1, new Shape(256, 256));
            Shape k = new Shape(2, 2);
            Shape none = new Shape(0, 0);
            Object[][] rows = {
                {"conv1 1->6 5x5", time(m, x1, x -> Conv2d.conv2d(x, w1, b1).head(), new Shape(256, 6, 24, 24), false)},
                {"sigmoid 6x24x24", time(m, s1, Activation::sigmoid, new Shape(256, 6, 24, 24), true)},
                {"maxpool 2x2 on 6x24x24", time(m, s1, x -> Pool.maxPool2d(x, k, k, none, false), new Shape(256, 6, 12, 12), true)},
                {"conv2 6->16 5x5", time(m, x2, x -> Conv2d.conv2d(x, w2, b2).head(), new Shape(256, 16, 8, 8), true)},
                {"maxpool 2x2 on 16x8x8", time(m, s2, x -> Pool.maxPool2d(x, k, k, none, false), new Shape(256, 16, 4, 4), true)},
                {"linear 256->120", time(m, f, x -> Linear.linear(x, w3, b3).head(), new Shape(256, 120), true)},
            };
            for (Object[] r : rows) {
                System.out.printf(Locale.ROOT, "ROW\t%s\t%.3f%n", r[0], (Double) r[1]);
            }
        }
    }
}

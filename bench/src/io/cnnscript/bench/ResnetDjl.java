package io.cnnscript.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.nn.FashionMnist;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The small ResNet of examples/10-resnet.cnn on Fashion-MNIST, written directly against DJL
 * (blocks, Trainer, GradientCollector), against the same network trained by {@code train()} in a
 * cnnscript script in the same JVM. The same layers on both sides: a 3x3 convolution with
 * BatchNorm and ReLU, three stages of one residual block each (two 3x3 convolutions with
 * BatchNorm, ReLU, a 1x1 convolution on the shortcut where the channels and size change), global
 * average pooling, a linear layer; Adam 0.003, cross-entropy.
 *
 * <p>The same data on both sides: the first {@code batches} batches of 256 training images, in
 * file order, made once before timing (a full epoch is 235 such batches; on a shared 2-core
 * machine a handful of full epochs per side would take an hour, and the ratio is per batch). A
 * round is one pass over them on each side (DJL first in odd rounds, train() first in even
 * ones); the first round warms both up and is not counted.
 *
 * <p>Usage: {@code java ... ResnetDjl [rounds] [batches]} (default 3 rounds, 40 batches). The
 * channels are 16, 32 and 64 as in the example; {@code -Dresnet.c1=8} runs it at half the width.
 */
public final class ResnetDjl {

    private static final int BATCH = 256;

    /** The example's network (C1, C2, C3 set before it) and its data and optimizer. */
    private static final String SCRIPT = """
            layer Residual(in_channels, out_channels, use_1x1conv=false, stride=1) {
                conv1 = Conv(in_channels, out_channels, 3, padding=1, stride=stride)
                conv2 = Conv(out_channels, out_channels, 3, padding=1)
                conv3 = none
                if use_1x1conv {
                    conv3 = Conv(in_channels, out_channels, 1, stride=stride)
                }
                bn1 = BatchNorm(out_channels)
                bn2 = BatchNorm(out_channels)
                forward(X) {
                    Y = ReLU(bn1(conv1(X)))
                    Y = bn2(conv2(Y))
                    if conv3 != none {
                        X = conv3(X)
                    }
                    return ReLU(Y + X)
                }
            }
            fn resnet_block(in_channels, out_channels, num_residuals, first_block=false) {
                blk = []
                for i in range(num_residuals) {
                    if i == 0 and not first_block {
                        blk.append(Residual(in_channels, out_channels, use_1x1conv=true, stride=2))
                    } else {
                        blk.append(Residual(out_channels, out_channels))
                    }
                }
                return Sequential(*blk)
            }
            seed(1)
            net = Sequential(Conv(1, C1, 3, padding=1), BatchNorm(C1), ReLU)
            net.add_module("resnet_block1", resnet_block(C1, C1, 1, first_block=true))
            net.add_module("resnet_block2", resnet_block(C1, C2, 1))
            net.add_module("resnet_block3", resnet_block(C2, C3, 1))
            net.add_module("global_avg_pool", GlobalAvgPool())
            net.add_module("fc", Sequential(Flatten, Linear(C3, 10)))
            opt = Adam(lr=0.003)
            train_iter, test_iter = fashion_mnist(batch_size=256, shuffle=false)
            batches = []
            for X, y in train_iter {
                if len(batches) == NB { break }
                batches.append((X, y))
            }
            """;

    private ResnetDjl() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int nb = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int c1 = Integer.getInteger("resnet.c1", 16);
        FashionMnist data = FashionMnist.load(null, System.err);
        System.out.println("data: " + data + ", " + nb + " batches of " + BATCH + " per round, channels " + c1 + ", "
                + 2 * c1 + ", " + 4 * c1);

        StringWriter scriptOut = new StringWriter();
        try (Djl djl = new Djl(data, c1, nb);
             Interpreter script = new Interpreter(NDManager.newBaseManager(), new PrintWriter(scriptOut, true),
                     new PrintWriter(System.err, true))) {
            script.eval("C1, C2, C3, NB = " + c1 + ", " + 2 * c1 + ", " + 4 * c1 + ", " + nb + "\n" + SCRIPT, "bench.cnn", false);
            List<Double> djlTimes = new ArrayList<>();
            List<Double> scriptTimes = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                // The side that goes first alternates, so that a load that rises or falls during
                // the run does not favour one side.
                double[] d = r % 2 == 0 ? djl.epoch() : null;
                long t0 = System.nanoTime();
                scriptOut.getBuffer().setLength(0);
                script.eval("train(net, batches, epochs=1, optimizer=opt)", "bench.cnn", false);
                double s = (System.nanoTime() - t0) / 1e9;
                if (d == null) {
                    d = djl.epoch();
                }
                String line = scriptOut.toString().lines().filter(l -> l.startsWith("epoch")).findFirst().orElse("?");
                System.out.printf(Locale.ROOT, "round %d%s: djl %.2f s (loss %.4f, train acc %.3f) | script train() %.2f s (%s)%n",
                        r + 1, r == 0 ? " (warm-up)" : "", d[0], d[1], d[2], s, line);
                if (r > 0) {
                    djlTimes.add(d[0]);
                    scriptTimes.add(s);
                }
            }
            if (!djlTimes.isEmpty()) {
                System.out.printf(Locale.ROOT, "RESULT resnet djl_median=%.3f djl_min=%.3f train_median=%.3f train_min=%.3f%n",
                        Stats.median(djlTimes), Stats.min(djlTimes), Stats.median(scriptTimes),
                        Stats.min(scriptTimes));
            }
        }
    }

    /** Median and minimum of a few timings. */
    static final class Stats {
        static double median(List<Double> xs) {
            List<Double> s = new ArrayList<>(xs);
            s.sort(null);
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }

        static double min(List<Double> xs) {
            return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }
    }

    private static Block conv(int out, int kernel, int padding, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(out)
                .optPadding(new Shape(padding, padding)).optStride(new Shape(stride, stride)).build();
    }

    private static Block batchNorm() {
        // PyTorch's momentum 0.1 is DJL's 0.9; eps 1e-5 as PyTorch's.
        return BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build();
    }

    /** d2l's Residual: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)). */
    private static Block residual(int out, boolean use1x1, int stride) {
        SequentialBlock body = new SequentialBlock()
                .add(conv(out, 3, 1, stride)).add(batchNorm()).add(Activation::relu)
                .add(conv(out, 3, 1, 1)).add(batchNorm());
        Block shortcut = use1x1 ? conv(out, 1, 0, stride) : Blocks.identityBlock();
        return new ParallelBlock(list -> {
            NDArray y = list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow());
            return new NDList(Activation.relu(y));
        }, List.of(body, shortcut));
    }

    /** The hand-written DJL trainer. */
    static final class Djl implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final List<FashionMnist.Batch> batches = new ArrayList<>();
        final Model model = Model.newInstance("resnet");
        final Trainer trainer;
        final Loss loss = Loss.softmaxCrossEntropyLoss();

        Djl(FashionMnist data, int c1, int nb) {
            Iterator<FashionMnist.Batch> it = data.train().batches(manager, BATCH, false, null);
            while (it.hasNext() && batches.size() < nb) {
                batches.add(it.next());
            }
            SequentialBlock net = new SequentialBlock()
                    .add(conv(c1, 3, 1, 1)).add(batchNorm()).add(Activation::relu)
                    .add(residual(c1, false, 1))
                    .add(residual(2 * c1, true, 2))
                    .add(residual(4 * c1, true, 2))
                    .add(Pool.globalAvgPool2dBlock())
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(10).build());
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.003f)).build())
                    .optDevices(new Device[] {Device.cpu()})
                    .optInitializer((m, shape, type) -> {
                        long fanIn = shape.size() / shape.get(0);
                        float b = (float) (1 / Math.sqrt(fanIn));
                        return m.randomUniform(-b, b, shape, type);
                    }, Parameter.Type.WEIGHT);
            trainer = model.newTrainer(config);
            trainer.initialize(new Shape(1, 1, 28, 28));
        }

        /** One pass over the batches: {seconds, mean loss, train accuracy}. */
        double[] epoch() {
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long n = 0;
            for (FashionMnist.Batch b : batches) {
                try (NDManager bm = manager.newSubManager()) {
                    // Copies in the batch's manager, so that what the step makes is freed with it.
                    NDArray x = b.x().duplicate();
                    NDArray y = b.y().duplicate();
                    x.attach(bm);
                    y.attach(bm);
                    NDArray yHat;
                    NDArray l;
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        yHat = trainer.forward(new NDList(x)).singletonOrThrow();
                        l = loss.evaluate(new NDList(y), new NDList(yHat));
                        gc.backward(l);
                    }
                    trainer.step();
                    lossSum += l.getFloat();
                    correct += yHat.argMax(1).eq(y).toType(DataType.INT64, false).sum().getLong();
                    n += y.getShape().get(0);
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            return new double[] {s, lossSum / batches.size(), (double) correct / n};
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
            manager.close();
        }
    }
}

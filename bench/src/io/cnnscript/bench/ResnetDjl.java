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
import java.util.Map;

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

    /**
     * The example's network (C1, C2, C3 set before it) and its data and optimizer: its Residual
     * layer and resnet_block come from examples/10-resnet.cnn itself.
     */
    private static final String SCRIPT = """
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
            String example = Rounds.definition("10-resnet.cnn", "layer Residual(")
                    + Rounds.definition("10-resnet.cnn", "fn resnet_block(");
            script.eval("C1, C2, C3, NB = " + c1 + ", " + 2 * c1 + ", " + 4 * c1 + ", " + nb + "\n" + example + SCRIPT,
                    "bench.cnn", false);
            Map<String, List<Double>> times = Rounds.run(rounds, true, List.of(
                    new Rounds.Side("djl", () -> {
                        double[] d = djl.epoch();
                        return String.format(Locale.ROOT, "loss %.4f, train acc %.3f", d[1], d[2]);
                    }),
                    new Rounds.Side("script train()", () -> {
                        scriptOut.getBuffer().setLength(0);
                        script.eval("train(net, batches, epochs=1, optimizer=opt)", "bench.cnn", false);
                        return scriptOut.toString().lines().filter(l -> l.startsWith("epoch")).findFirst().orElse("?");
                    })));
            List<Double> djlTimes = times.get("djl");
            List<Double> scriptTimes = times.get("script train()");
            if (!djlTimes.isEmpty()) {
                System.out.printf(Locale.ROOT, "RESULT resnet djl_median=%.3f djl_min=%.3f train_median=%.3f train_min=%.3f%n",
                        Rounds.median(djlTimes), Rounds.min(djlTimes), Rounds.median(scriptTimes),
                        Rounds.min(scriptTimes));
            }
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

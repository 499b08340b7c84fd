package io.cnnscript.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
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
import java.util.Random;

/**
 * LeNet on Fashion-MNIST written directly against DJL (Trainer, GradientCollector), against the
 * same training run as a cnnscript script in the same JVM on the same preloaded data: batch 256,
 * Adam 0.001, shuffled, test accuracy after each epoch. The two alternate epoch by epoch so that
 * both see the same machine load; the first round warms both up and is not counted.
 *
 * <p>Usage: {@code bench/run [rounds]} (default 4: one warm-up and three measured rounds).
 */
public final class LenetDjl {

    private static final int BATCH = 256;

    private static final String SCRIPT = """
            seed(1)
            net = Conv(1, 6, 5) >> Sigmoid >> MaxPool(2, 2)
                >> Conv(6, 16, 5) >> Sigmoid >> MaxPool(2, 2)
                >> Flatten >> Linear(256, 120) >> Sigmoid >> Linear(120, 84) >> Sigmoid >> Linear(84, 10)
            train_iter, test_iter = fashion_mnist(batch_size=256)
            opt = Adam(lr=0.001)

            # The notebook's train_ch5 written out: forward, loss, backward, step, accuracy.
            seed(1)
            net2 = Conv(1, 6, 5) >> Sigmoid >> MaxPool(2, 2)
                >> Conv(6, 16, 5) >> Sigmoid >> MaxPool(2, 2)
                >> Flatten >> Linear(256, 120) >> Sigmoid >> Linear(120, 84) >> Sigmoid >> Linear(84, 10)
            opt2 = Adam(lr=0.001, params=net2)
            fn train_ch5_epoch() {
                l_sum, acc_sum, n, batches = 0.0, 0.0, 0, 0
                for X, y in train_iter {
                    y_hat = net2(X)
                    l = CrossEntropy(y_hat, y)
                    zero_grad(net2)
                    backward(l)
                    step(opt2)
                    l_sum += l.item()
                    acc_sum += (y_hat.argmax(dim=1) == y).sum().item()
                    n += y.shape[0]
                    batches += 1
                }
                return "loss %.4f, train acc %.3f, test acc %.3f" % (l_sum / batches, acc_sum / n, evaluate(net2, test_iter))
            }
            """;

    private LenetDjl() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        FashionMnist data = FashionMnist.load(null, System.err);
        System.out.println("data: " + data);

        StringWriter scriptOut = new StringWriter();
        try (Djl djl = new Djl(data);
             Interpreter script = new Interpreter(NDManager.newBaseManager(), new PrintWriter(scriptOut, true),
                     new PrintWriter(System.err, true))) {
            script.eval(SCRIPT, "bench.cnn", false);
            Map<String, List<Double>> times = Rounds.run(rounds, false, List.of(
                    new Rounds.Side("djl", () -> {
                        double[] d = djl.epoch();
                        return String.format(Locale.ROOT, "loss %.4f, test acc %.3f", d[1], d[2]);
                    }),
                    new Rounds.Side("script train()", () -> {
                        scriptOut.getBuffer().setLength(0);
                        script.eval("train(net, train_iter, test_iter, epochs=1, optimizer=opt)", "bench.cnn", false);
                        return scriptOut.toString().lines().filter(l -> l.startsWith("epoch")).findFirst().orElse("?");
                    }),
                    new Rounds.Side("script loop", () -> {
                        script.eval("loop_result = train_ch5_epoch()", "bench.cnn", false);
                        return String.valueOf(script.get("loop_result"));
                    })));
            List<Double> djlTimes = times.get("djl");
            List<Double> scriptTimes = times.get("script train()");
            List<Double> loopTimes = times.get("script loop");
            if (!djlTimes.isEmpty()) {
                double dm = Rounds.mean(djlTimes);
                double sm = Rounds.mean(scriptTimes);
                System.out.printf(Locale.ROOT, "mean over %d rounds: djl %.2f s/epoch, script %.2f s/epoch, ratio %.3f%n",
                        djlTimes.size(), dm, sm, sm / dm);
                System.out.printf(Locale.ROOT, "RESULT lenet djl_median=%.3f djl_min=%.3f train_median=%.3f train_min=%.3f"
                        + " loop_median=%.3f loop_min=%.3f%n", Rounds.median(djlTimes), Rounds.min(djlTimes),
                        Rounds.median(scriptTimes), Rounds.min(scriptTimes), Rounds.median(loopTimes), Rounds.min(loopTimes));
            }
        }
    }

    /** The hand-written DJL trainer. */
    static final class Djl implements AutoCloseable {
        final FashionMnist data;
        final NDManager manager = NDManager.newBaseManager();
        final Model model = Model.newInstance("lenet");
        final Trainer trainer;
        final Loss loss = Loss.softmaxCrossEntropyLoss();
        final Random rng = new Random(1);

        Djl(FashionMnist data) {
            this.data = data;
            SequentialBlock net = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(6).build())
                    .add(Activation::sigmoid)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                    .add(Activation::sigmoid)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(120).build())
                    .add(Activation::sigmoid)
                    .add(Linear.builder().setUnits(84).build())
                    .add(Activation::sigmoid)
                    .add(Linear.builder().setUnits(10).build());
            model.setBlock(net);
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.001f)).build())
                    .optDevices(new Device[] {Device.cpu()})
                    .optInitializer((m, shape, type) -> {
                        long fanIn = shape.size() / shape.get(0);
                        float b = (float) (1 / Math.sqrt(fanIn));
                        return m.randomUniform(-b, b, shape, type);
                    }, Parameter.Type.WEIGHT);
            trainer = model.newTrainer(config);
            trainer.initialize(new Shape(1, 1, 28, 28));
        }

        /** One epoch and a test pass: {seconds, mean loss, test accuracy}. */
        double[] epoch() {
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            int batches = 0;
            try (NDManager epoch = manager.newSubManager()) {
                Iterator<FashionMnist.Batch> it = data.train().batches(epoch, BATCH, true, rng);
                while (it.hasNext()) {
                    FashionMnist.Batch b = it.next();
                    try (NDManager bm = epoch.newSubManager()) {
                        b.x().attach(bm);
                        b.y().attach(bm);
                        NDArray yHat;
                        NDArray l;
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            yHat = trainer.forward(new NDList(b.x())).singletonOrThrow();
                            l = loss.evaluate(new NDList(b.y()), new NDList(yHat));
                            gc.backward(l);
                        }
                        trainer.step();
                        lossSum += l.getFloat();
                        correct += yHat.argMax(1).eq(b.y()).toType(DataType.INT64, false).sum().getLong();
                        batches++;
                    }
                }
                long testCorrect = 0;
                Iterator<FashionMnist.Batch> test = data.test().batches(epoch, BATCH, false, null);
                while (test.hasNext()) {
                    FashionMnist.Batch b = test.next();
                    try (NDManager bm = epoch.newSubManager()) {
                        b.x().attach(bm);
                        b.y().attach(bm);
                        NDArray yHat = trainer.evaluate(new NDList(b.x())).singletonOrThrow();
                        testCorrect += yHat.argMax(1).eq(b.y()).toType(DataType.INT64, false).sum().getLong();
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                return new double[] {s, lossSum / batches, (double) testCorrect / data.test().size()};
            }
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
            manager.close();
        }
    }
}

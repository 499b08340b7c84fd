package io.cnnscript.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.GradMode;
import io.cnnscript.lib.Torch;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.ScriptIterable;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * train() and evaluate(): the notebook's train_ch5 and evaluate_accuracy. Each batch runs in a
 * manager of its own that is closed after the step, so memory stays flat over an epoch.
 */
final class Training {

    private Training() {}

    /** Where a batch comes from: a data set split (batches made here) or any iterable of (X, y). */
    private interface Source {
        /** Opens one pass; batches are owned by {@code epoch} or by the script. */
        Iterator<NDArray[]> open(Runtime rt, NDManager epoch);

        /** Number of batches, or -1 when unknown. */
        int batches();
    }

    private static Source source(Object v, String what) {
        if (v instanceof DataIterable d) {
            return new Source() {
                @Override
                public Iterator<NDArray[]> open(Runtime rt, NDManager epoch) {
                    return map(d.split.batches(epoch, d.batchSize, d.shuffle, rt.random()),
                            b -> new NDArray[] {b.x(), b.y(), null});
                }

                @Override
                public int batches() {
                    return d.split.numBatches(d.batchSize);
                }
            };
        }
        if (v instanceof PyList || v instanceof Tuple || v instanceof ScriptIterable) {
            return new Source() {
                @Override
                public Iterator<NDArray[]> open(Runtime rt, NDManager epoch) {
                    Iterator<Object> it = v instanceof ScriptIterable s ? s.iterator(rt)
                            : Conversions.sequence(v, what).iterator();
                    return map(it, item -> {
                        if (!(item instanceof Tuple t) || t.size() != 2) {
                            throw new CnnException(what + " must give (X, y) pairs, it gave " + Values.aTypeName(item));
                        }
                        NDArray x = Conversions.tensor(t.get(0), what + " X");
                        NDArray y = Conversions.tensor(t.get(1), what + " y");
                        // Not ours: work on copies in the batch's manager, leave the originals.
                        return new NDArray[] {x, y, x};
                    });
                }

                @Override
                public int batches() {
                    return v instanceof ScriptIterable ? -1 : Conversions.sequence(v, what).size();
                }
            };
        }
        throw new CnnException(what + " must be a data set such as fashion_mnist() gives, or a list of (X, y) "
                + "pairs, not " + Values.aTypeName(v));
    }

    private static <A, B> Iterator<B> map(Iterator<A> it, java.util.function.Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public B next() {
                return f.apply(it.next());
            }
        };
    }

    /** Moves a batch into {@code m} (copying tensors the script owns). */
    private static NDArray[] into(NDManager m, NDArray[] b) {
        NDArray x = b[0];
        NDArray y = b[1];
        if (b[2] != null) {
            x = x.duplicate();
            y = y.duplicate();
        }
        x.attach(m);
        y.attach(m);
        return new NDArray[] {x, y};
    }

    static String device(Object arg, java.util.function.Consumer<String> note) {
        String d = Conversions.string(arg, "device");
        if (d.equals("cpu")) {
            return "cpu";
        }
        int gpus;
        String why = null;
        try {
            gpus = Engine.getInstance().getGpuCount();
        } catch (RuntimeException | LinkageError e) {
            gpus = -1; // the GPU is there but cannot be used (a driver or CUDA library missing)
            why = io.cnnscript.lib.Errors.firstLine(e);
        }
        return device(d, gpus, why, note);
    }

    /**
     * The device for device=d when DJL sees gpus GPUs (-1: it failed to look, because of why):
     * "auto" falls back to the CPU, with one note when there is a GPU it cannot use; "gpu" asked
     * for one, and gets an error.
     */
    static String device(String d, int gpus, String why, java.util.function.Consumer<String> note) {
        switch (d) {
            case "cpu":
                return "cpu";
            case "auto":
                if (gpus != 0) {
                    note.accept("note: " + (gpus < 0 ? "the GPU cannot be used (" + why + ")"
                            : "DJL sees " + gpus + " GPU(s), but cnnscript does not train on a GPU yet")
                            + "; training on the CPU");
                }
                return "cpu";
            case "gpu":
                if (gpus == 0) {
                    throw new CnnException("device=\"gpu\": DJL sees no GPU on this machine; use device=\"cpu\" "
                            + "or \"auto\"");
                }
                if (gpus < 0) {
                    throw new CnnException("device=\"gpu\": the GPU cannot be used (" + why + "); use device=\"cpu\" "
                            + "or \"auto\"");
                }
                throw new CnnException("DJL sees " + gpus + " GPU(s), but training on a GPU is not supported yet; "
                        + "use device=\"cpu\"");
            default:
                throw new CnnException("device must be \"cpu\", \"gpu\" or \"auto\", not " + Values.repr(d));
        }
    }

    /** train(net, train_iter, ...) with the arguments of its signature in Nn. */
    static Object train(Runtime rt, io.cnnscript.lib.Args a) {
        int epochs = a.toInt("epochs");
        Object netArg = a.get("net");
        Object trainArg = a.get("train_iter");
        Object testArg = a.get("test_iter");
        Object optArg = a.get("optimizer");
        Object lossArg = a.get("loss");
        Object deviceArg = a.get("device");
        Object logArg = a.get("log");
        Layer net = Sequential.toLayer(netArg);
        Source train = source(trainArg, "train_iter");
        Source test = Conversions.isNone(testArg) ? null : source(testArg, "test_iter");
        if (epochs < 0) {
            throw new CnnException("epochs cannot be negative, got " + epochs);
        }
        OptimizerValue opt;
        if (Conversions.isNone(optArg)) {
            opt = Nn.adam(0.001, 0.9, 0.999, 1e-8, 0);
        } else if (optArg instanceof OptimizerValue o) {
            opt = o;
        } else {
            throw new CnnException("optimizer must be an optimizer such as Adam(lr=0.001), not a "
                    + Values.typeName(optArg));
        }
        Loss loss = lossOf(lossArg);
        String device = device(deviceArg, line -> {
            rt.err().println(line);
            rt.err().flush();
        });
        Path logDir = Conversions.isNone(logArg) ? null : rt.checkPath(Conversions.string(logArg, "log"), true);
        opt.bind(net);

        PrintWriter out = rt.out();
        out.println("training on " + device);
        out.flush();
        Progress progress = Progress.of(rt, out, train.batches());
        List<Layer> layers = net instanceof Sequential s ? s.layers() : List.of(net);
        EventFileWriter events = null;
        MetricsCsv csv = null;
        boolean wasTraining = net.training;
        try (GradMode g = GradMode.enabled()) {
            if (logDir != null) {
                try {
                    Files.deleteIfExists(logDir.resolve(MetricsCsv.FILE_NAME));
                    events = new EventFileWriter(logDir);
                    csv = new MetricsCsv(logDir);
                } catch (IOException e) {
                    throw new CnnException("log=" + Values.repr(logArg) + ": cannot write there: " + io.cnnscript.lib.Errors.ioReason(e));
                }
            }
            List<NDArray> params = null;
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long start = System.nanoTime();
                net.setTraining(true);
                double lossSum = 0;
                long correct = 0;
                long n = 0;
                int count = 0;
                try (NDManager epochManager = rt.scope().newSubManager()) {
                    Iterator<NDArray[]> it = train.open(rt, epochManager);
                    while (it.hasNext()) {
                        rt.checkStop();
                        NDArray[] raw = it.next();
                        try (NDManager bm = epochManager.newSubManager()) {
                            NDArray[] b = into(bm, raw);
                            NDArray yHat = Sequential.run(rt, layers, b[0], true, false);
                            NDArray l = loss.compute(rt, yHat, b[1]);
                            if (params == null) {
                                params = new ArrayList<>();
                                for (Layer.Param p : net.parameters()) {
                                    params.add(p.value());
                                }
                                if (params.isEmpty()) {
                                    throw new CnnException("train(): the network has no parameters to train");
                                }
                            }
                            for (NDArray p : params) {
                                Torch.zeroGrad(p);
                            }
                            Torch.backward(l, l.onesLike());
                            opt.step(params);
                            lossSum += l.getFloat();
                            correct += correct(yHat, b[1]);
                            n += b[1].getShape().get(0);
                            count++;
                            progress.update(epoch, epochs, count, lossSum / count, start);
                        }
                    }
                }
                if (count == 0) {
                    throw new CnnException("train(): train_iter gave no batches");
                }
                double testAcc = test == null ? Double.NaN : accuracy(rt, net, layers, test);
                double seconds = (System.nanoTime() - start) / 1e9;
                double trainLoss = lossSum / count;
                double trainAcc = (double) correct / n;
                progress.clear();
                // Without a test set the line leaves the test accuracy out rather than print NaN.
                out.println(String.format(Locale.ROOT, "epoch %d, loss %.4f, train acc %.3f, ", epoch, trainLoss, trainAcc)
                        + (test == null ? "" : String.format(Locale.ROOT, "test acc %.3f, ", testAcc))
                        + String.format(Locale.ROOT, "time %.1f sec", seconds));
                out.flush();
                if (events != null) {
                    try {
                        events.addScalar("Train Loss", (float) trainLoss, epoch);
                        events.addScalar("Train Accuracy", (float) trainAcc, epoch);
                        if (test != null) {
                            events.addScalar("Test Accuracy", (float) testAcc, epoch);
                        }
                        csv.append(epoch, trainLoss, trainAcc, testAcc, seconds);
                    } catch (IOException e) {
                        throw new CnnException("log: cannot write to " + logDir + ": " + io.cnnscript.lib.Errors.ioReason(e));
                    }
                }
            }
        } finally {
            progress.clear();
            progress.finish();
            net.setTraining(wasTraining);
            closeQuietly(events);
            closeQuietly(csv);
        }
        return io.cnnscript.value.NoneValue.NONE;
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // the values were flushed after each epoch
            }
        }
    }

    static Loss lossOf(Object v) {
        if (Conversions.isNone(v)) {
            return Loss.CROSS_ENTROPY;
        }
        if (v instanceof Loss l) {
            if (l.reduction.equals("none")) {
                // PyTorch's backward of such a loss: "grad can be implicitly created only for scalar outputs".
                throw new CnnException("train(): the loss must give one number per batch, but " + l.name()
                        + "(reduction=\"none\") gives one per example");
            }
            return l;
        }
        throw new CnnException("loss must be CrossEntropy, MSE or L1, not " + Values.aTypeName(v));
    }

    private static long correct(NDArray yHat, NDArray y) {
        if (yHat.getShape().dimension() != 2) {
            return 0;
        }
        try (NDArray pred = yHat.argMax(1); NDArray eq = pred.eq(y); NDArray ints = eq.toType(DataType.INT64, false);
             NDArray sum = ints.sum()) {
            return sum.getLong();
        }
    }

    /** The share of examples whose largest output is the label, in eval mode and without gradients. */
    static double evaluate(Runtime rt, Object netArg, Object dataArg) {
        Layer net = Sequential.toLayer(netArg);
        List<Layer> layers = net instanceof Sequential s ? s.layers() : List.of(net);
        return accuracy(rt, net, layers, source(dataArg, "data_iter"));
    }

    private static double accuracy(Runtime rt, Layer net, List<Layer> layers, Source data) {
        boolean wasTraining = net.training;
        long correct = 0;
        long n = 0;
        try (GradMode g = GradMode.disabled(); NDManager pass = rt.scope().newSubManager()) {
            net.setTraining(false);
            Iterator<NDArray[]> it = data.open(rt, pass);
            while (it.hasNext()) {
                rt.checkStop();
                NDArray[] raw = it.next();
                try (NDManager bm = pass.newSubManager()) {
                    NDArray[] b = into(bm, raw);
                    NDArray yHat = Sequential.run(rt, layers, b[0], false, false);
                    correct += correct(yHat, b[1]);
                    n += b[1].getShape().get(0);
                }
            }
        } finally {
            net.setTraining(wasTraining);
        }
        if (n == 0) {
            throw new CnnException("evaluate(): the data gave no batches");
        }
        return (double) correct / n;
    }

    /**
     * A one-line progress bar on a terminal, redrawn in place with a carriage return and never
     * wider than the terminal, or in a front end's display (Jupyter) a line that updates in
     * place; nothing otherwise (output to a file or a pipe, an embedding program), so logs and
     * tests stay plain.
     */
    static final class Progress {
        /** The bar's cells when the terminal has room, and the fewest before it is left out. */
        static final int BAR = 30;
        static final int MIN_BAR = 10;
        /** The width a display's line is made for (Jupyter wraps long lines itself). */
        private static final int DISPLAY_WIDTH = 81;

        private final PrintWriter out;
        private final int total;
        private final boolean on;
        private final io.cnnscript.value.Display display;
        private final java.util.function.IntSupplier width;
        private int lastWidth = 80;
        private long lastDraw;
        private int drawn;
        private String last;

        private Progress(PrintWriter out, int total, boolean on, io.cnnscript.value.Display display,
                java.util.function.IntSupplier width) {
            this.out = out;
            this.total = total;
            this.on = on;
            this.display = display;
            this.width = width;
        }

        static Progress of(Runtime rt, PrintWriter out, int total) {
            io.cnnscript.value.Display display = rt.display();
            boolean terminal = display == null && rt.terminalWidth() > 0;
            return new Progress(out, total, display != null || terminal, display, rt::terminalWidth);
        }

        /** A bar on a terminal whose width {@code columns} gives (for tests). */
        static Progress onTerminal(PrintWriter out, int total, java.util.function.IntSupplier columns) {
            return new Progress(out, total, true, null, columns);
        }

        void update(int epoch, int epochs, int done, double loss, long start) {
            if (!on) {
                return;
            }
            long now = System.nanoTime();
            if (now - lastDraw < 100_000_000L && done != total) {
                return;
            }
            lastDraw = now;
            if (display != null) {
                last = line(epoch, epochs, done, total, loss, (now - start) / 1e9, DISPLAY_WIDTH);
                out.flush();
                display.progress(last, false);
                return;
            }
            int w = width.getAsInt(); // asked at each draw: the window may have been resized
            if (w > 0) {
                lastWidth = w;
            }
            String text = line(epoch, epochs, done, total, loss, (now - start) / 1e9, lastWidth);
            // The previous line may have been longer (a wider window, a longer loss): blank its tail.
            int tail = Math.min(drawn, lastWidth - 1) - text.length();
            out.print("\r" + text + (tail > 0 ? " ".repeat(tail) + "\r" + text : ""));
            out.flush();
            drawn = text.length();
        }

        /**
         * The progress line in at most {@code width - 1} columns (writing the last column makes
         * some terminals wrap). The bar shrinks from {@link #BAR} to {@link #MIN_BAR} cells first;
         * then the time is left out, then the bar, then the loss; a terminal narrower than
         * "epoch 1/10 5/235" gets that text cut.
         */
        static String line(int epoch, int epochs, int done, int total, double loss, double seconds, int width) {
            int room = width - 1;
            String head = "epoch " + epoch + "/" + epochs + " ";
            String count = total > 0 ? done + "/" + total : done + " batches";
            String lossText = String.format(Locale.ROOT, "  loss %.4f", loss);
            String time = String.format(Locale.ROOT, "  %.1f s", seconds);
            if (total > 0) {
                for (String tail : new String[] {lossText + time, lossText}) {
                    int bar = Math.min(BAR, room - (head.length() + 3 + count.length() + tail.length()));
                    if (bar >= MIN_BAR) {
                        int filled = (int) ((long) bar * Math.min(done, total) / total);
                        return head + "[" + "=".repeat(filled) + (filled < bar ? ">" : "")
                                + " ".repeat(Math.max(0, bar - filled - 1)) + "] " + count + tail;
                    }
                }
            }
            for (String text : new String[] {head + count + lossText + time, head + count + lossText, head + count}) {
                if (text.length() <= room) {
                    return text;
                }
            }
            return (head + count).substring(0, Math.max(0, Math.min(room, head.length() + count.length())));
        }

        /** The display's line stays, as its final state; later progress starts a new one. */
        void finish() {
            if (display != null && last != null) {
                display.progress(last, true);
                last = null;
            }
        }

        /** Blanks the drawn line and puts the cursor back at its start, for the epoch's summary. */
        void clear() {
            if (drawn > 0) {
                out.print("\r" + " ".repeat(drawn) + "\r");
                out.flush();
                drawn = 0;
            }
        }
    }
}

package io.cnnscript.bench;

import ai.djl.ndarray.NDManager;
import io.cnnscript.interp.Interpreter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Native memory over long runs: the resident set size (RSS, from /proc/self/status) after a
 * short warm-up and after a long run of the same loop. Bounded memory means the two differ by
 * far less than 100 MB.
 */
public final class MemoryBench {

    private MemoryBench() {}

    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return -1;
    }

    public static void main(String[] args) {
        long slices = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Writer sink = Writer.nullWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(sink), new PrintWriter(sink))) {
            in.eval("seed(0); X = rand(100, 100); K = rand(3, 3)", "memory.cnn", false);
            in.eval("for i in range(1000) { Y = (X[0:3, 0:3] * K).sum() }", "memory.cnn", false);
            long warm = rssKb();
            long t0 = System.nanoTime();
            in.eval("for i in range(" + (slices - 1000) + ") { Y = (X[0:3, 0:3] * K).sum() }", "memory.cnn", false);
            long after = rssKb();
            System.out.printf(Locale.ROOT,
                    "| slice loop, %,d iterations of Y = (X[0:3, 0:3] * K).sum() | %.1f MB after 1,000 | %.1f MB after %,d "
                            + "| %+.1f MB | %.1f s |%n",
                    slices, warm / 1024.0, after / 1024.0, slices, (after - warm) / 1024.0, (System.nanoTime() - t0) / 1e9);

            in.eval(String.join("\n",
                    "seed(0)",
                    "net = Linear(20, 64) >> ReLU >> Linear(64, 10)",
                    "Xb = randn(256, 20)",
                    "yb = (Xb[:, 0] > 0).long() + (Xb[:, 1] > 0).long()",
                    "opt = Adam(lr=0.01, params=net)",
                    "fn epoch() {",
                    "    for b in range(10) {",
                    "        y_hat = net(Xb)",
                    "        l = CrossEntropy(y_hat, yb)",
                    "        backward(l)",
                    "        step(opt)",
                    "        zero_grad(net)",
                    "    }",
                    "    return l.item()",
                    "}"), "memory.cnn", false);
            in.eval("for e in range(1) { loss = epoch() }", "memory.cnn", false);
            long warmTrain = rssKb();
            t0 = System.nanoTime();
            in.eval("for e in range(" + (epochs - 1) + ") { loss = epoch() }", "memory.cnn", false);
            long afterTrain = rssKb();
            System.out.printf(Locale.ROOT,
                    "| hand-written training loop, %d epochs of 10 steps (batch 256) | %.1f MB after 1 epoch | %.1f MB after %d "
                            + "| %+.1f MB | %.1f s |%n",
                    epochs, warmTrain / 1024.0, afterTrain / 1024.0, epochs, (afterTrain - warmTrain) / 1024.0,
                    (System.nanoTime() - t0) / 1e9);
            System.out.println("final loss " + in.get("loss") + ", native arrays held: " + in.memoryUsage()[0]);
            System.out.printf(Locale.ROOT, "RESULT memory slices=%d slice_warm_mb=%.1f slice_after_mb=%.1f epochs=%d"
                    + " train_warm_mb=%.1f train_after_mb=%.1f%n", slices, warm / 1024.0, after / 1024.0, epochs,
                    warmTrain / 1024.0, afterTrain / 1024.0);
        }
    }
}

package io.cnnscript.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * The interpreter's micro rows: each measures the cnnscript side and its hand-written Java
 * baseline in this one JVM, alternating, several repetitions, and prints median and min.
 *
 * <p>Rows: op dispatch ({@code c = a + b} on 2-element tensors, per iteration), scalar loop
 * ({@code s += i * i}, per iteration), naive corr2d (the notebook's loops on 100x100 with a 3x3
 * kernel, per call).
 */
public final class Micro {

    private Micro() {}

    /** One row: figures in seconds per unit; key names it in the RESULT line bench/run reads. */
    record Row(String key, String name, String unit, double[] script, double[] baseline) {}

    static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] xs) {
        double m = Double.MAX_VALUE;
        for (double x : xs) {
            m = Math.min(m, x);
        }
        return m;
    }

    static double[] measure(int reps, DoubleSupplier once) {
        once.getAsDouble(); // warm-up
        double[] out = new double[reps];
        for (int i = 0; i < reps; i++) {
            out[i] = once.getAsDouble();
        }
        return out;
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<Row> rows = new ArrayList<>();
        Writer sink = Writer.nullWriter();
        try (NDManager m = NDManager.newBaseManager();
                Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(sink), new PrintWriter(sink))) {
            // op dispatch
            int n = 200_000;
            in.eval("a = tensor[1.0, 2.0]; b = tensor[3.0, 4.0]", "bench.cnn", false);
            String dispatch = "for i in range(" + n + ") { c = a + b }";
            NDArray a = m.create(new float[] {1, 2});
            NDArray b = m.create(new float[] {3, 4});
            double[][] dispatchPair = alternate(reps, () -> timeEval(in, dispatch) / n, () -> {
                long t0 = System.nanoTime();
                NDArray c = null;
                for (int i = 0; i < n; i++) {
                    NDArray next = a.add(b);
                    if (c != null) {
                        c.close();
                    }
                    c = next;
                }
                c.close();
                return (System.nanoTime() - t0) / 1e9 / n;
            });
            rows.add(new Row("dispatch", "op dispatch (c = a + b)", "us/iter", dispatchPair[0], dispatchPair[1]));

            // scalar loop
            int sn = 1_000_000;
            String scalar = "s = 0; for i in range(" + sn + ") { s += i * i }";
            long[] sink2 = new long[1];
            double[][] scalarPair = alternate(reps, () -> timeEval(in, scalar) / sn, () -> {
                long t0 = System.nanoTime();
                long s = 0;
                for (long i = 0; i < sn; i++) {
                    s += i * i;
                }
                sink2[0] += s;
                return (System.nanoTime() - t0) / 1e9 / sn;
            });
            rows.add(new Row("scalar", "scalar loop (s += i * i)", "us/iter", scalarPair[0], scalarPair[1]));

            // naive corr2d
            in.eval(CORR2D + "\nseed(0)\nX = rand(100, 100)\nK = rand(3, 3)", "bench.cnn", false);
            NDArray x = m.randomUniform(0, 1, new Shape(100, 100));
            NDArray k = m.randomUniform(0, 1, new Shape(3, 3));
            double[][] corrPair = alternate(reps, () -> timeEval(in, "Y = corr2d_naive(X, K)"), () -> {
                long t0 = System.nanoTime();
                try (NDManager scope = m.newSubManager()) {
                    NDArray y = naiveCorr2d(scope, x, k);
                    y.close();
                }
                return (System.nanoTime() - t0) / 1e9;
            });
            rows.add(new Row("corr2d", "naive corr2d 100x100, 3x3", "s/call", corrPair[0], corrPair[1]));
            // The same loops with the fewest DJL calls (basic indexing straight through JniUtils), to
            // separate the interpreter's own cost from the cost of DJL's operations.
            double[][] leanPair = alternate(reps, () -> timeEval(in, "Y = corr2d_naive(X, K)"), () -> {
                long t0 = System.nanoTime();
                try (NDManager scope = m.newSubManager()) {
                    NDArray y = leanCorr2d(scope, x, k);
                    y.close();
                }
                return (System.nanoTime() - t0) / 1e9;
            });
            rows.add(new Row("corr2d_lean", "naive corr2d, against the leanest DJL calls", "s/call", leanPair[0], leanPair[1]));
        }
        System.out.println("| row | cnnscript median | min | baseline (hand-written Java) median | min | ratio of medians |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (Row r : rows) {
            double scale = r.unit.startsWith("us") ? 1e6 : 1;
            System.out.printf(Locale.ROOT, "| %s | %.4f %s | %.4f | %.4f %s | %.4f | %.2fx |%n", r.name,
                    median(r.script) * scale, r.unit, min(r.script) * scale, median(r.baseline) * scale, r.unit,
                    min(r.baseline) * scale, median(r.script) / median(r.baseline));
        }
        for (Row r : rows) {
            double scale = r.unit.startsWith("us") ? 1e6 : 1;
            System.out.printf(Locale.ROOT, "RESULT %s script_median=%.4f script_min=%.4f base_median=%.4f base_min=%.4f%n",
                    r.key, median(r.script) * scale, min(r.script) * scale, median(r.baseline) * scale,
                    min(r.baseline) * scale);
        }
    }

    /** Runs the two sides in turn, so that both see the same machine state. */
    static double[][] alternate(int reps, DoubleSupplier script, DoubleSupplier baseline) {
        script.getAsDouble();
        baseline.getAsDouble();
        double[] s = new double[reps];
        double[] b = new double[reps];
        for (int i = 0; i < reps; i++) {
            s[i] = script.getAsDouble();
            b[i] = baseline.getAsDouble();
        }
        return new double[][] {s, b};
    }

    static double timeEval(Interpreter in, String code) {
        long t0 = System.nanoTime();
        in.eval(code, "bench.cnn", false);
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The notebook's loop-and-slice corr2d in cnnscript. */
    public static final String CORR2D = String.join("\n",
            "fn corr2d_naive(X, K) {",
            "    h, w = K.shape",
            "    Y = zeros(X.shape[0] - h + 1, X.shape[1] - w + 1)",
            "    for i in range(Y.shape[0]) {",
            "        for j in range(Y.shape[1]) {",
            "            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()",
            "        }",
            "    }",
            "    return Y",
            "}");

    /** The same loops with one DJL call per operation: slice, multiply, sum, write. */
    static NDArray leanCorr2d(NDManager scope, NDArray x, NDArray k) {
        long h = k.getShape().get(0);
        long w = k.getShape().get(1);
        long rows = x.getShape().get(0) - h + 1;
        long cols = x.getShape().get(1) - w + 1;
        NDArray y = scope.zeros(new Shape(rows, cols));
        ai.djl.pytorch.engine.PtNDManager pm = (ai.djl.pytorch.engine.PtNDManager) scope;
        long[] step = {1, 1};
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < cols; j++) {
                try (NDArray window = ai.djl.pytorch.jni.JniUtils.index((ai.djl.pytorch.engine.PtNDArray) x,
                                new long[] {i, j}, new long[] {i + h, j + w}, step, pm);
                        NDArray prod = window.mul(k);
                        NDArray sum = prod.sum()) {
                    ai.djl.pytorch.jni.JniUtils.indexSet((ai.djl.pytorch.engine.PtNDArray) y,
                            (ai.djl.pytorch.engine.PtNDArray) sum, new long[] {i, j}, new long[] {i + 1, j + 1}, step);
                }
            }
        }
        return y;
    }

    /** The notebook's corr2d, written as straightforwardly in DJL as in Python. */
    public static NDArray naiveCorr2d(NDManager scope, NDArray x, NDArray k) {
        long h = k.getShape().get(0);
        long w = k.getShape().get(1);
        long rows = x.getShape().get(0) - h + 1;
        long cols = x.getShape().get(1) - w + 1;
        NDArray y = scope.zeros(new Shape(rows, cols));
        for (long i = 0; i < rows; i++) {
            for (long j = 0; j < cols; j++) {
                try (NDArray window = x.get(new NDIndex().addSliceDim(i, i + h).addSliceDim(j, j + w));
                        NDArray prod = window.mul(k);
                        NDArray sum = prod.sum()) {
                    y.set(new NDIndex().addIndices(i, j), sum);
                }
            }
        }
        return y;
    }
}

package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Native memory stays bounded: loops do not leave tensors behind. */
class MemoryTest {

    private static long arraysAfter(Interpreter in, String code) {
        in.eval(code, "m.cnn", false);
        in.sweep();
        return in.memoryUsage()[0];
    }

    @Test
    void loopsOverSlicesDoNotGrow() {
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))) {
            io.cnnscript.TestFiles.confine(in);
            in.eval("X = rand(100, 100); K = rand(3, 3)", "m.cnn", false);
            String loop = "for i in range(%d) { Y = (X[0:3, 0:3] * K).sum() }";
            long after1k = arraysAfter(in, String.format(loop, 1000));
            long after5k = arraysAfter(in, String.format(loop, 5000));
            assertTrue(after5k <= after1k, "arrays grew from " + after1k + " to " + after5k);
            assertTrue(after5k < 20, "too many arrays held: " + after5k);
        }
    }

    @Test
    void functionsAndTrainingStepsDoNotGrow() {
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))) {
            io.cnnscript.TestFiles.confine(in);
            in.eval("""
                    fn corr(X, K) {
                        h, w = K.shape
                        Y = zeros(X.shape[0] - h + 1, X.shape[1] - w + 1)
                        for i in range(Y.shape[0]) { for j in range(Y.shape[1]) { Y[i, j] = (X[i:i + h, j:j + w] * K).sum() } }
                        return Y
                    }
                    X = rand(6, 8); Y = corr(X, tensor[[1.0, -1.0]])
                    w = param(randn(1, 2)); b = param(randn(1))
                    fn step() {
                        l = ((corr(X, w) + b - Y) ** 2).sum()
                        backward(l)
                        w -= 0.01 * w.grad
                        b -= 0.01 * b.grad
                        zero_grad(w, b)
                        return l
                    }
                    """, "m.cnn", false);
            long after20 = arraysAfter(in, "for i in range(20) { l = step() }");
            long after200 = arraysAfter(in, "for i in range(200) { l = step() }");
            assertTrue(after200 <= after20, "arrays grew from " + after20 + " to " + after200);
        }
    }

    @Test
    void aParameterHeldByAVariableStaysWithItsLayer() {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out),
                new PrintWriter(new StringWriter()))) {
            io.cnnscript.TestFiles.confine(in);
            in.eval("seed(0); net = Linear(2, 2); X = ones(1, 2); before = net(X)\n"
                    + "for name, p in net.named_parameters() { w = p }\nw = none", "m.cnn", false);
            in.sweep();
            in.eval("print((net(X) - before).abs().sum().item())", "m.cnn", false);
        }
        assertTrue(out.toString().equals("0.0\n"), out.toString());
    }
}

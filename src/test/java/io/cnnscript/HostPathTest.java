package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.cnnscript.api.CnnEngine;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Small float32 slices, arithmetic and reductions written as one expression are computed on the
 * Java side (see HostTensors). Each case here computes the same value twice, once that way and
 * once split into statements that go through libtorch, and the two must agree to the bit.
 */
class HostPathTest {

    /** Values over many magnitudes and both signs, with zeros, so that any other order of adding shows. */
    private static float[][] wide(Random r, int rows, int cols) {
        float[][] x = new float[rows][cols];
        for (float[] row : x) {
            for (int j = 0; j < cols; j++) {
                int kind = r.nextInt(20);
                row[j] = kind == 0 ? 0f : kind == 1 ? -0f
                        : (float) ((r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(9) - 4));
            }
        }
        return x;
    }

    private static int bits(CnnEngine engine, String name) {
        NDArray a = (NDArray) engine.get(name);
        try {
            assertEquals(0, a.getShape().dimension(), name + " is a scalar");
            return Float.floatToRawIntBits(a.toFloatArray()[0]);
        } finally {
            a.close();
        }
    }

    private record Case(String fused, String split) {}

    private static List<Case> cases(Random r) {
        List<Case> out = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            int h = 1 + r.nextInt(8);
            int w = 1 + r.nextInt(r.nextBoolean() ? 8 : 20);
            int i = r.nextInt(21 - h);
            int j = r.nextInt(21 - w);
            String win = "X[" + i + ":" + (i + h) + ", " + j + ":" + (j + w) + "]";
            String k = "K[0:" + h + ", 0:" + w + "]";
            String red = List.of("sum", "mean", "max", "min").get(r.nextInt(4));
            out.add(new Case("(" + win + " * " + k + ")." + red + "()",
                    "p = " + win + "\nq = " + k + "\nt = p * q\nb = t." + red + "()"));
            out.add(new Case(win + "." + red + "()", "t = " + win + "\nb = t." + red + "()"));
            out.add(new Case("(" + win + " * 0.1 + 3 - " + k + " / 7)." + red + "()",
                    "p = " + win + "\nq = " + k + "\nt = p * 0.1\nt = t + 3\nu = q / 7\nt = t - u\nb = t." + red + "()"));
            out.add(new Case("(2 - " + win + ")." + red + "()", "p = " + win + "\nt = 2 - p\nb = t." + red + "()"));
            int len = 1 + r.nextInt(256);
            out.add(new Case("(V[0:" + len + "] * V[1:" + (len + 1) + "])." + red + "()",
                    "p = V[0:" + len + "]\nq = V[1:" + (len + 1) + "]\nt = p * q\nb = t." + red + "()"));
            out.add(new Case("X[" + i + ":" + (i + h) + ", :]." + red + "()",
                    "t = X[" + i + ":" + (i + h) + ", :]\nb = t." + red + "()"));
        }
        return out;
    }

    @Test
    void fusedReductionsGiveLibtorchsBits() {
        Random r = new Random(7);
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.set("X", wide(r, 20, 20));
            engine.set("K", wide(r, 8, 20));
            float[][] v = wide(r, 1, 300);
            engine.set("V", v[0]);
            int checked = 0;
            for (Case c : cases(r)) {
                engine.eval("a = " + c.fused + "\n" + c.split);
                int a = bits(engine, "a");
                int b = bits(engine, "b");
                assertEquals(b, a, () -> c.fused + " gives " + Float.intBitsToFloat(bits(engine, "a"))
                        + " but libtorch gives " + Float.intBitsToFloat(bits(engine, "b")));
                checked++;
            }
            assertEquals(2400, checked);
        }
    }

    @Test
    void writesIntoATensorMatchLibtorch() {
        Random r = new Random(11);
        StringWriter out = new StringWriter();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            engine.set("X", wide(r, 12, 12));
            engine.set("K", wide(r, 3, 3));
            engine.eval(String.join("\n",
                    "fn fused(X, K) {",
                    "    Y = zeros(10, 10)",
                    "    for i in range(10) {",
                    "        for j in range(10) {",
                    "            Y[i, j] = (X[i:i + 3, j:j + 3] * K).sum()",
                    "        }",
                    "    }",
                    "    Y[0, 1] = 7",
                    "    Y[-1, -2] = 0.1",
                    "    return Y",
                    "}",
                    "fn split(X, K) {",
                    "    Y = zeros(10, 10)",
                    "    for i in range(10) {",
                    "        for j in range(10) {",
                    "            p = X[i:i + 3, j:j + 3] * K",
                    "            Y[i:i + 1, j:j + 1] = p.sum()",
                    "        }",
                    "    }",
                    "    Y[0:1, 1:2] = 7",
                    "    Y[9:10, 8:9] = 0.1",
                    "    return Y",
                    "}",
                    "A = fused(X, K)",
                    "B = split(X, K)",
                    "print((A == B).all())",
                    "I = tensor[[0, 0], [0, 0]]",
                    "I[0, 1] = (X[0:2, 0:2] * 10).sum()",
                    "print(I.dtype)",
                    "L = [0, 0]",
                    "L[1] = X[0:1, 0:1].sum()",
                    "print(L[1].shape, L[1].dtype)"));
            assertEquals("tensor(True)\nint64\n() float32\n", out.toString());
            NDArray a = (NDArray) engine.get("A");
            NDArray b = (NDArray) engine.get("B");
            float[] fa = a.toFloatArray();
            float[] fb = b.toFloatArray();
            for (int i = 0; i < fa.length; i++) {
                assertEquals(Float.floatToRawIntBits(fb[i]), Float.floatToRawIntBits(fa[i]), "element " + i);
            }
            a.close();
            b.close();
        }
    }

    @Test
    void tensorsThatRecordGradientsStillDo() {
        StringWriter out = new StringWriter();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            engine.eval(String.join("\n",
                    "W = param(tensor[[1.0, 2.0], [3.0, 4.0]])",
                    "X = tensor[[1.0, 1.0, 1.0], [2.0, 2.0, 2.0], [3.0, 3.0, 3.0]]",
                    "l = (X[0:2, 1:3] * W).sum()",
                    "backward(l)",
                    "print(l)",
                    "print(W.grad)"));
            assertEquals("tensor(17.)\ntensor([[1., 1.],\n        [2., 2.]])\n", out.toString());
        }
    }

    @Test
    void errorsInAFusedExpressionAreThoseOfThePlainOne() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("X = zeros(4, 4)\nK = zeros(2, 3)");
            Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> engine.eval("s = (X[0:2, 0:2] * K).sum()"));
            assertTrue(e.getMessage().contains("1:"), e.getMessage());
            Exception f = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> engine.eval("s = (X[0:2, 7] * 2).sum()"));
            assertTrue(f.getMessage().contains("out of range"), f.getMessage());
        }
    }

    /**
     * The same programs run twice, once with the Java-side path and once in an engine whose
     * gradients are in use, where every tensor goes through libtorch: the transcripts (values
     * printed exactly, errors) must be the same.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{index}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        """
        fn corr2d_loop(X, K) {
            h, w = K.shape
            Y = zeros(X.shape[0] - h + 1, X.shape[1] - w + 1)
            for i in range(Y.shape[0]) {
                for j in range(Y.shape[1]) {
                    Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
                }
            }
            return Y
        }
        seed(3)
        X = randn(12, 9) * 100
        K = randn(3, 3)
        print(corr2d_loop(X, K).tolist())
        print(corr2d_loop(X.t(), K).tolist())
        print(corr2d_loop(X[1:11:2, ::2], K[0:2, :]).tolist())
        print(corr2d_loop(X, K.t()).tolist())
        """,
        """
        seed(5)
        X = randn(8, 8)
        V = randn(300)
        X[0, 0] = -0.0
        X[1, 1] = 0.0
        print((X[0:2, 0:2] * 0.5 + 1 - X[2:4, 2:4]).mean().item(), (X[0:2, 0:2] * -1).max().item())
        print(X[0:4, :].min().item(), (X[:, 0:1] / 3).sum().item(), (2 - X[3:5, 1:7]).sum().item())
        print((V[0:255] * V[1:256]).sum().item(), (V[0:100] - V[0:100]).max().item())
        print((X[0:2, 0:2] * X[0, 3]).sum().item(), (X[0:2, 0:2] * X[0:1, 0:1]).sum().item())
        X[2, 2] = 0.0 / 0.0
        print(X[2:4, 2:4].max().item(), (X[1:3, 1:3] + 1).sum().item())
        """,
        """
        I = zeros(3, 3, dtype="int64")
        X = tensor[[1.5, -2.5, 3.25], [0.5, 7.0, -1.0], [2.0, 2.0, 2.0]]
        I[0, 0] = (X[0:2, 0:2] * 3).sum()
        I[-1, -1] = -7.9
        I[1, 2] = X[2, 2].sum()
        Y = zeros(3, 3)
        Y[-1, 0] = (X[1:3, 1:3] / 3).sum()
        Y[0, -2] = 5
        Y[1, 1] = 2.5
        L = [0, 0]
        L[0] = X[0:1, 0:3].sum()
        print(I.tolist(), Y.tolist(), L[0].dtype, L[0].item())
        """,
        """
        X = ones(4, 4)
        K = ones(2, 3)
        s = (X[0:2, 0:2] * K).sum()
        """,
        """
        X = ones(4, 4)
        s = (X[0:2, 9] * 2).sum()
        """,
        """
        D = ones(4, 4, dtype="float64") / 3
        H = ones(4, 4) / 3
        print((D[0:2, 0:2] * H[0:2, 0:2]).sum().item(), (D[0:3, 0:3] - 1).mean().dtype)
        Y = zeros(2, 2, dtype="float64")
        Y[0, 1] = (H[0:2, 0:2] * 7).sum()
        print(Y.tolist())
        """
    })
    void theJavaSidePathAndLibtorchGiveTheSameTranscript(String program) {
        ScriptRunner.Result fast = ScriptRunner.run(program, "p.cnn", false);
        ScriptRunner.Result slow = ScriptRunner.run(program, "p.cnn", true);
        assertEquals(slow.transcript(), fast.transcript());
    }
}

package io.cnnscript.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.cnnscript.TestFiles;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Convolution's gradients against a reference libtorch computes without oneDNN: the same
 * convolution in float64 (oneDNN only takes float32), whose input gradient is right. libtorch
 * 2.7.1's float32 input gradient is wrong for output-channel counts that are not a multiple of 16
 * (see {@link Convolution}); these tests fail if that guard is removed.
 */
class ConvolutionTest {

    private record Grads(float[] y, float[] dx, float[] dw, float[] db) {
    }

    private static NDArray values(NDManager m, Shape s, double phase) {
        return m.arange(0f, (float) s.size()).add(phase).sin().reshape(s);
    }

    /** Forward and the three gradients of sum(y * gy) for y = conv2d(x, w, b), in dtype. */
    private static Grads run(NDManager m, Shape xs, Shape wsh, int stride, int pad, int groups, DataType dtype,
            boolean guarded) {
        try (NDManager s = m.newSubManager()) {
            NDArray x = values(s, xs, 0.1).toType(dtype, false);
            NDArray w = values(s, wsh, 0.7).toType(dtype, false);
            NDArray b = values(s, new Shape(wsh.get(0)), 1.3).toType(dtype, false);
            x.setRequiresGradient(true);
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            NDArray y;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                y = guarded
                        ? Convolution.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1),
                                groups)
                        : x.getNDArrayInternal().convolution(x, w, b, new Shape(stride, stride), new Shape(pad, pad),
                                new Shape(1, 1), groups).singletonOrThrow();
                NDArray gy = values(s, y.getShape(), 2.9).toType(dtype, false);
                gc.backward(y.mul(gy).sum());
            }
            return new Grads(floats(y), floats(x.getGradient()), floats(w.getGradient()), floats(b.getGradient()));
        }
    }

    private static float[] floats(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static String compare(String what, float[] got, float[] want) {
        double scale = 1;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            if (Math.abs(got[i] - want[i]) > 2e-5 * scale) {
                return what + "[" + i + "] is " + got[i] + ", the float64 reference gives " + want[i];
            }
        }
        return null;
    }

    @Test
    void gradientsMatchTheFloat64ReferenceOverChannelsKernelsStridesAndGroups() {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int groups : new int[] {1, 2}) {
                for (int n : new int[] {1, 2}) {
                    for (int in : new int[] {6}) {
                        for (int out : new int[] {2, 6, 16, 18}) {
                            for (int k : new int[] {3, 5}) {
                                for (int stride : new int[] {1, 2}) {
                                    for (int pad : new int[] {0, 2}) {
                                        Shape xs = new Shape(n, in, 9, 9);
                                        Shape ws = new Shape(out, in / groups, k, k);
                                        Grads got = run(m, xs, ws, stride, pad, groups, DataType.FLOAT32, true);
                                        Grads ref = run(m, xs, ws, stride, pad, groups, DataType.FLOAT64, false);
                                        String c = "n=" + n + " in=" + in + " out=" + out + " k=" + k + " stride="
                                                + stride + " pad=" + pad + " groups=" + groups + ": ";
                                        for (String why : new String[] {compare("y", got.y, ref.y),
                                                compare("dx", got.dx, ref.dx), compare("dw", got.dw, ref.dw),
                                                compare("db", got.db, ref.db)}) {
                                            if (why != null) {
                                                wrong.add(c + why);
                                            }
                                        }
                                        cases++;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(128, cases);
        assertEquals(List.of(), wrong);
    }

    @Test
    void theGuardKeepsTheForwardValuesOfThePlainCall() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape xs = new Shape(2, 6, 12, 12);
            Shape ws = new Shape(6, 6, 5, 5);
            Grads guarded = run(m, xs, ws, 1, 0, 1, DataType.FLOAT32, true);
            Grads plain = run(m, xs, ws, 1, 0, 1, DataType.FLOAT32, false);
            assertEquals(null, compare("y", guarded.y, plain.y));
            assertEquals(null, compare("dw", guarded.dw, plain.dw));
        }
    }

    @Test
    void onlyARecordedInputWithAChannelCountOffTheBlockIsGuarded() {
        try (NDManager m = NDManager.newBaseManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray x = m.ones(new Shape(2, 1, 3, 3));
            assertTrue(!Convolution.padsOutputChannels(x, 2));
            x.setRequiresGradient(true);
            assertTrue(Convolution.padsOutputChannels(x, 2));
            assertTrue(Convolution.padsOutputChannels(x.mul(2), 2), "a tensor computed from a param");
            assertTrue(!Convolution.padsOutputChannels(x, 16));
            assertTrue(!Convolution.padsOutputChannels(x, 48));
        }
    }

    private static String script(String src) {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true))) {
            TestFiles.confine(in);
            in.eval(src, "t.cnn", false);
        }
        return out.toString();
    }

    @Test
    void aConvLayersInputGradientForABatchIsTheSumOfItsSamples() {
        // A batch of two goes through oneDNN; one sample with a 3x3 kernel through libtorch's own
        // kernel. Both must give the same input gradient (they did not: issue 10's oracle).
        assertEquals("true\ntrue\n", script("""
                seed(3)
                c = Conv(1, 2, 3) >> Sigmoid >> Conv(2, 3, 3)
                X = param(randn(2, 1, 6, 6))
                backward((c(X) * c(X)).sum())
                A = param(X.detach()[0:1])
                backward((c(A) * c(A)).sum())
                B = param(X.detach()[1:2])
                backward((c(B) * c(B)).sum())
                print((X.grad[0:1] - A.grad).abs().max().item() < 0.00001)
                print((X.grad[1:2] - B.grad).abs().max().item() < 0.00001)
                """));
    }

    @Test
    void corr2dGivesPyTorchsInputGradientForALargeKernel() {
        // torch.nn.functional.conv2d on (1, 1, 6, 6) with the same 5x5 kernel, in PyTorch 1.13.
        assertEquals("""
                tensor([[ 0.,  1.,  3.,  5.,  7.,  4.],
                        [ 5., 12., 16., 20., 24., 13.],
                        [15., 32., 36., 40., 44., 23.],
                        [25., 52., 56., 60., 64., 33.],
                        [35., 72., 76., 80., 84., 43.],
                        [20., 41., 43., 45., 47., 24.]])
                """, script("""
                X = param(ones(6, 6))
                K = arange(25.0).reshape(5, 5)
                backward(corr2d(X, K).sum())
                print(X.grad)
                """));
    }
}

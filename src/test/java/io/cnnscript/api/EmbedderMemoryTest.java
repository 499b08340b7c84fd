package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import org.junit.jupiter.api.Test;

/**
 * Native memory under a hostile script: every operation's result is sized before libtorch
 * allocates it, an engine can cap the bytes it holds, and layers nothing reaches are freed.
 */
class EmbedderMemoryTest {

    private static CnnException refused(CnnEngine engine, String code) {
        return assertThrows(CnnException.class, () -> engine.eval(code), code);
    }

    @Test
    void operationsAreSizedBeforeTheyRun() {
        try (CnnEngine engine = CnnEngine.builder().maxTensorElements(10_000_000).build()) {
            assertEquals("<eval>:1:16: the result of '*' on shapes (40000, 1) and (1, 40000) would hold 1,600,000,000 "
                    + "elements; the limit is 10,000,000", refused(engine, "ones(40000, 1) * ones(1, 40000)").getMessage());
            assertEquals("<eval>:1:16: the result of '@' on shapes (3000, 10) and (10, 4000) would hold 12,000,000 "
                    + "elements; the limit is 10,000,000", refused(engine, "ones(3000, 10) @ ones(10, 4000)").getMessage());
            assertEquals("<eval>:1:1: the result of '@' on shapes (3000, 10) and (10, 4000) would hold 12,000,000 "
                    + "elements; the limit is 10,000,000",
                    refused(engine, "matmul(ones(3000, 10), ones(10, 4000))").getMessage());
            assertEquals("<eval>:1:1: Linear(in_features=50000, out_features=50000, bias=True) would hold a weight of "
                    + "2,500,000,000 elements; the limit is 10,000,000", refused(engine, "Linear(50000, 50000)").getMessage());
            assertEquals("<eval>:1:1: Conv(3, 100000, kernel_size=(7, 7), stride=(1, 1)) would hold a weight of "
                    + "14,700,000 elements; the limit is 10,000,000", refused(engine, "Conv(3, 100000, 7)").getMessage());
            assertEquals("stack() of 20 tensors of shape (1000, 1000) would hold 20,000,000 elements; the limit is "
                    + "10,000,000", refused(engine, "x = ones(1000, 1000)\nstack([x] * 20)").detail());
            assertEquals("cat() of 20 tensors would hold 20,000,000 elements; the limit is 10,000,000",
                    refused(engine, "x = ones(1000, 1000)\ncat([x] * 20)").detail());
            CnnException e = refused(engine, "Conv(1, 1000, 1)(ones(1, 1, 200, 200))");
            assertTrue(e.detail().endsWith("Conv(1, 1000, kernel_size=(1, 1), stride=(1, 1)) on an input of shape "
                    + "(1, 1, 200, 200) gives (1, 1000, 200, 200), which would hold 40,000,000 elements; the limit is "
                    + "10,000,000"), e.getMessage());
            assertEquals("expand() to shape (100000, 100000) would hold 10,000,000,000 elements; the limit is 10,000,000",
                    refused(engine, "ones(1).expand(100000, 100000) + 1").detail());
            assertTrue(refused(engine, "ones(2).repeat(100000, 100000)").detail().startsWith("repeat() would make a "
                    + "tensor of shape (100000, 200000)"));
            // What fits still runs, broadcasts included.
            assertEquals(9_000_000L, engine.eval("(ones(3000, 1) * ones(1, 3000)).numel()"));
        }
    }

    @Test
    void theDefaultLimitStopsABroadcastThatWouldKillTheProcess() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            assertEquals("the result of '+' on shapes (100000, 1) and (1, 100000) would hold 10,000,000,000 elements; "
                    + "the limit is 2,147,483,648", refused(engine, "ones(100000, 1) + ones(1, 100000)").detail());
        }
    }

    @Test
    void maxNativeBytesCapsWhatTheEngineHolds() {
        try (CnnEngine engine = CnnEngine.builder().maxNativeBytes(32L << 20).build()) {
            // 4 MB per tensor, kept in a list: the ninth would pass 32 MB.
            CnnException e = refused(engine, "x = []\nwhile true {\n    x.append(ones(1000, 1000))\n}");
            assertTrue(e.getMessage().startsWith("<eval>:3:14: ones() of shape (1000, 1000) would need 3.8 MB more; "
                    + "the engine holds "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" MB and its limit is 32.0 MB"), e.getMessage());
            assertEquals(8L, engine.eval("len(x)"));
            // Growth through operations the engine does not size one by one is caught at the next sweep.
            e = refused(engine, "x = [randn(100, 100)]\nwhile true {\n    x.append(x[0] + 1)\n}");
            assertTrue(e.detail().startsWith("the script holds "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" of tensors; the engine's limit is 32.0 MB"), e.getMessage());
            // Freed memory is memory again.
            engine.eval("x = none");
            assertEquals(4_000_000L, engine.eval("y = ones(1000, 1000)\ny.numel() * 4"));
            assertTrue(engine.memoryUsage()[1] < 32L << 20);
        }
    }

    @Test
    void layersNothingReachesAreFreed() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("y = Linear(2, 2)(ones(1, 2))");
            long before = engine.memoryUsage()[0];
            engine.eval("for i in range(200) {\n    net = Linear(2, 2)\n    y = net(ones(1, 2))\n}");
            long after = engine.memoryUsage()[0];
            assertTrue(after - before <= 3, "native arrays went from " + before + " to " + after);


            // Inside a function they are freed once it returns.
            engine.eval("fn make() {\n    for i in range(100) {\n        net = Linear(2, 2)\n        y = net(ones(1, 2))\n"
                    + "    }\n}\nmake()");
            long later = engine.memoryUsage()[0];
            assertTrue(later - before <= 3, "native arrays went from " + before + " to " + later);
        }
    }

    @Test
    void layersAreFreedWhileALoopRuns() {
        // 4 MB of parameters per layer; held for good, 40 of them would pass the 100 MB cap.
        try (CnnEngine engine = CnnEngine.builder().maxNativeBytes(100L << 20).build()) {
            engine.eval("for i in range(40) {\n    net = Linear(1000, 1000)\n    y = net(ones(1, 1000))\n}");
            long bytes = engine.memoryUsage()[1];
            assertTrue(bytes < 10L << 20, "the engine holds " + bytes + " bytes");
        }
    }

    @Test
    void aLayersTensorsHeldElsewhereStay() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("seed(1)\nnet = Linear(2, 2)\nnet(ones(1, 2))\nw = net.weight\nnet = none\nfor i in range(3000) { z = ones(2) }");
            engine.memoryUsage();
            assertEquals(engine.eval("w.shape"), java.util.List.of(2L, 2L));
            engine.eval("opt = SGD(0.1, params=Linear(2, 1))\nfor i in range(3000) { z = ones(2) }");
            engine.memoryUsage();
            engine.eval("p = opt.step()");
        }
    }
}

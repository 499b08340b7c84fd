package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CnnEngineTest {

    private static final float[][] X = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}};

    @Test
    void evalRunsCorr2dOnAJavaArrayAndGetGivesTheTensor() {
        StringWriter out = new StringWriter();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            engine.set("X", X);
            engine.eval("Y = corr2d(X, tensor[[0, 1], [2, 3]])\nprint(Y.shape)");
            NDArray y = (NDArray) engine.get("Y");
            assertEquals(new Shape(2, 2), y.getShape());
            assertArrayEquals(new float[] {19, 25, 37, 43}, y.toFloatArray());
            assertEquals("(2, 2)\n", out.toString());
        }
    }

    @Test
    void evalReturnsTheLastExpressionValue() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            assertEquals(6L, engine.eval("x = 2\nx * 3"));
            assertNull(engine.eval("y = 1"));
            assertEquals(2.5, engine.eval("5 / 2"));
        }
    }

    @Test
    void getConvertsScriptValuesToJava() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("i = 7\nf = 0.5\ns = 'hi'\nb = true\nn = none\nl = [1, 2.0, 'x']\nt = (1, (2, 3))");
            assertEquals(7L, engine.get("i"));
            assertEquals(0.5, engine.get("f"));
            assertEquals("hi", engine.get("s"));
            assertEquals(true, engine.get("b"));
            assertNull(engine.get("n"));
            assertNull(engine.get("nothing"));
            assertFalse(engine.has("nothing"));
            assertEquals(List.of(1L, 2.0, "x"), engine.get("l"));
            assertEquals(List.of(1L, List.of(2L, 3L)), engine.get("t"));
            assertEquals(List.of("i", "f", "s", "b", "n", "l", "t"), new ArrayList<>(engine.variables()));
        }
    }

    @Test
    void setConvertsJavaValuesToScript() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.set("a", new int[][] {{1, 2}, {3, 4}});
            engine.set("d", new double[] {1.5, 2.5});
            engine.set("l", new long[] {1, 2, 3});
            engine.set("n", 3);
            engine.set("x", 1.5f);
            engine.set("s", "text");
            engine.set("items", List.of(1, 2.5, "three"));
            assertEquals("(2, 2) int32", engine.eval("str(a.shape) + ' ' + str(a.dtype)"));
            assertEquals("float64", engine.eval("str(d.dtype)"));
            assertEquals(6L, engine.eval("int(l.sum().item())"));
            assertEquals(4.5, engine.eval("n + x"));
            assertEquals("text!", engine.eval("s + '!'"));
            assertEquals(3L, engine.eval("len(items)"));
            assertEquals(List.of(1L, 2.5, "three"), engine.get("items"));
        }
    }

    @Test
    void setCopiesTensorsSoTheCallerKeepsItsOwn() {
        try (NDManager mine = NDManager.newBaseManager(); CnnEngine engine = CnnEngine.builder().build()) {
            NDArray a = mine.create(new float[] {1, 2, 3});
            engine.set("A", a);
            engine.eval("A[0] = 100.0");
            assertArrayEquals(new float[] {1, 2, 3}, a.toFloatArray());
            NDArray back = (NDArray) engine.get("A", mine);
            assertEquals(mine, back.getManager());
            assertArrayEquals(new float[] {100, 2, 3}, back.toFloatArray());
            engine.close();
            // The copy belongs to the caller's manager: it outlives the engine.
            assertArrayEquals(new float[] {100, 2, 3}, back.toFloatArray());
        }
    }

    @Test
    void badJavaValuesAreRefusedClearly() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> engine.set("m", new java.util.HashMap<>()));
            assertTrue(e.getMessage().contains("cannot pass a java.util.HashMap"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> engine.set("r", new float[][] {{1, 2}, {3}}));
            assertTrue(e.getMessage().contains("not rectangular"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> engine.set("1x", 1));
            assertTrue(e.getMessage().contains("not a cnnscript name"), e.getMessage());
        }
    }

    @Test
    void compiledScriptsRunManyTimes() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            CnnScript step = engine.compile("count = count + 1\ncount * 10");
            engine.set("count", 0);
            assertEquals(10L, step.run());
            assertEquals(20L, step.run());
            assertEquals(30L, step.run());
            assertEquals(3L, engine.get("count"));
        }
    }

    @Test
    void compileReportsSyntaxErrorsWithTheirPlace() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.compile("x = 1\ny = (2 +\n", "model.cnn"));
            assertEquals("model.cnn", e.file());
            assertTrue(e.line() >= 2, e.getMessage());
            assertTrue(e.getMessage().startsWith("model.cnn:"), e.getMessage());
        }
    }

    @Test
    void runtimeErrorsCarryFileLineAndColumn() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("x = 1\ny = x + nope\n", "calc.cnn"));
            assertEquals("calc.cnn", e.file());
            assertEquals(2, e.line());
            assertEquals(9, e.column());
            assertTrue(e.getMessage().startsWith("calc.cnn:2:9: 'nope' is not defined"), e.getMessage());
            // The engine goes on after an error, with its variables.
            assertEquals(1L, engine.get("x"));
        }
    }

    @Test
    void evalOfAPathNamesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("calc.cnn");
        Files.writeString(file, "fn double(v) { return v * 2 }\ndouble(21)\n");
        try (CnnEngine engine = CnnEngine.builder().build()) {
            assertEquals(42L, engine.eval(file));
            assertEquals(8L, engine.call("double", 4));
            CnnException e = assertThrows(CnnException.class, () -> engine.eval(dir.resolve("missing.cnn")));
            assertTrue(e.getMessage().endsWith("missing.cnn: no such file"), e.getMessage());
        }
    }

    @Test
    void callPassesJavaArgumentsAndReturnsJavaValues() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("fn conv(img, k) { return corr2d(img, k) }\nfn pair(a, b) { return (a, b) }");
            NDArray y = (NDArray) engine.call("conv", X, new float[][] {{1, -1}});
            assertArrayEquals(new float[] {-1, -1, -1, -1, -1, -1}, y.toFloatArray());
            assertEquals(List.of(1L, "b"), engine.call("pair", 1, "b"));
            assertEquals(3L, engine.call("len", List.of(1, 2, 3)));
            CnnException e = assertThrows(CnnException.class, () -> engine.call("nothing"));
            assertEquals("'nothing' is not defined", e.getMessage());
            e = assertThrows(CnnException.class, () -> engine.call("pair", 1));
            assertTrue(e.getMessage().contains("missing its argument 'b'"), e.getMessage());
            // The helper variables of a call do not stay behind.
            assertEquals(List.of("conv", "pair"), new ArrayList<>(engine.variables()));
        }
    }

    @Test
    void hostFunctionsAreCallableFromScriptsAndDocumented() {
        StringWriter out = new StringWriter();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            List<Object> seen = new ArrayList<>();
            engine.define("log", "Records its arguments in the host.", args -> {
                seen.addAll(args);
                return null;
            });
            engine.define("scale(x, by=2.0)", "Multiplies a tensor by a number, in Java.",
                    args -> ((NDArray) args.get(0)).mul((Double) args.get(1)));
            engine.eval("log(1, 'two', [3])\nY = scale(tensor[1.0, 2.0])\nZ = scale(tensor[1.0], by=10.0)");
            assertEquals(List.of(1L, "two", List.of(3L)), seen);
            assertArrayEquals(new float[] {2, 4}, ((NDArray) engine.get("Y")).toFloatArray());
            assertArrayEquals(new float[] {10}, ((NDArray) engine.get("Z")).toFloatArray());
            assertEquals("scale(x, by=2.0)\n    Multiplies a tensor by a number, in Java.", engine.help("scale"));
            assertTrue(engine.help("corr2d").startsWith("corr2d(X, K)"), engine.help("corr2d"));
        }
    }

    @Test
    void hostFunctionErrorsAreScriptErrorsAtTheCall() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.define("check", "Fails on negative numbers.", args -> {
                if ((Long) args.get(0) < 0) {
                    throw new CnnException("check() needs a number >= 0");
                }
                return args.get(0);
            });
            engine.define("broken", "Throws a Java exception.", args -> {
                throw new IllegalStateException("boom");
            });
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("x = 1\ny = check(-1)"));
            assertEquals("<eval>:2:5: check() needs a number >= 0", e.getMessage());
            e = assertThrows(CnnException.class, () -> engine.eval("broken()"));
            assertEquals("<eval>:1:1: host function broken() failed: boom", e.getMessage());
            assertTrue(e.getCause() instanceof IllegalStateException);
        }
    }

    @Test
    void enginesAreIsolated() {
        try (CnnEngine a = CnnEngine.builder().build(); CnnEngine b = CnnEngine.builder().build()) {
            a.eval("x = 1");
            b.eval("x = 2");
            assertEquals(1L, a.get("x"));
            assertEquals(2L, b.get("x"));
            a.define("only_in_a", "", args -> 1L);
            assertFalse(b.has("only_in_a"));
        }
    }

    @Test
    void closeFreesTheNativeMemoryAndTheEngineRefusesFurtherUse() {
        CnnEngine engine = CnnEngine.builder().build();
        engine.eval("A = ones(100, 100)\nB = A * 2");
        NDArray b = (NDArray) engine.get("B");
        long[] use = engine.memoryUsage();
        assertTrue(use[0] == 2 && use[1] == 2 * 100 * 100 * 4, use[0] + " arrays, " + use[1] + " bytes");
        engine.close();
        // What the engine handed out is the host's: still good, freed when the host closes it.
        assertFalse(b.isReleased());
        assertEquals(2.0f, b.toFloatArray()[0]);
        b.close();
        assertTrue(b.isReleased());
        assertTrue(engine.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> engine.eval("1"));
        assertEquals("this CnnEngine is closed", e.getMessage());
        engine.close(); // twice is fine
    }

    @Test
    void limitsAndInterruptStopScriptsWithCnnException() throws Exception {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofMillis(200)).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("while true { x = 1 }"));
            assertTrue(e.getMessage().contains("time limit of 200 ms"), e.getMessage());
        }
        try (CnnEngine engine = CnnEngine.builder().build()) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<?> running = pool.submit(() -> engine.eval("i = 0\nwhile true { i += 1 }"));
                // The running eval holds the engine's lock; interrupt() does not need it. Sent
                // before the eval starts, it stops it at its start (EmbedderStopsTest).
                Thread.sleep(300);
                engine.interrupt();
                Exception e = assertThrows(Exception.class, () -> running.get(1, TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof CnnException c && c.detail().equals("interrupted"), e.toString());
                assertEquals(2L, engine.eval("1 + 1"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void twoEnginesInTwoThreadsGiveIndependentCorrectResults() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<List<Object>>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                float factor = t + 2;
                results.add(pool.submit(() -> {
                    try (CnnEngine engine = CnnEngine.builder().build()) {
                        engine.set("factor", (double) factor);
                        CnnScript step = engine.compile("Y = corr2d(X, K) * factor\nY.sum().item()");
                        start.await();
                        List<Object> sums = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            engine.set("X", new float[][] {{i, 1, 2}, {3, 4, 5}, {6, 7, 8}});
                            engine.set("K", new float[][] {{0, 1}, {2, 3}});
                            sums.add(step.run());
                        }
                        return sums;
                    }
                }));
            }
            start.countDown();
            for (int t = 0; t < 2; t++) {
                List<Object> sums = results.get(t).get(60, TimeUnit.SECONDS);
                for (int i = 0; i < 50; i++) {
                    // corr2d with X[0][0] = i: the top-left output gains 0 * i, so the sum is 124.
                    assertEquals(124.0 * (t + 2), (Double) sums.get(i), 1e-4, "thread " + t + " step " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneEngineSharedByTwoThreadsTakesTurns() throws Exception {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("fn add(a, b) { return a + b }");
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Long>> sums = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    long base = t * 1000L;
                    sums.add(pool.submit(() -> {
                        long total = 0;
                        for (int i = 0; i < 200; i++) {
                            total += (Long) engine.call("add", base, i);
                        }
                        return total;
                    }));
                }
                assertEquals(19900L, sums.get(0).get(60, TimeUnit.SECONDS));
                assertEquals(200_000L + 19900L, sums.get(1).get(60, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void dtypesOfJavaArrays() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.set("b", new boolean[] {true, false});
            engine.set("y", new byte[] {1, 2});
            NDArray b = (NDArray) engine.get("b");
            assertEquals(DataType.BOOLEAN, b.getDataType());
            assertEquals(DataType.INT8, ((NDArray) engine.get("y")).getDataType());
        }
    }
}

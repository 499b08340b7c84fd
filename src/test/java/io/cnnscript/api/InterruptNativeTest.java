package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import java.io.StringWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stop asked for while one long native operation runs: the operation cannot be cut short,
 * but when it returns the statement is abandoned (nothing stored, nothing printed) and the
 * script ends with "interrupted".
 */
class InterruptNativeTest {

    private static void expectInterrupted(Future<?> running, String where) throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> running.get(5, TimeUnit.MINUTES));
        assertTrue(e.getCause() instanceof CnnException c && c.getMessage().equals(where + ": interrupted"),
                e.getCause().toString());
    }

    /** The worker thread of the engine, once it is inside libtorch's matmul. */
    private static boolean inNativeMatmul() {
        for (java.util.Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            StackTraceElement[] stack = t.getValue();
            if (t.getKey().getName().startsWith("cnnscript-") && stack.length > 0 && stack[0].isNativeMethod()
                    && stack[0].getMethodName().toLowerCase(java.util.Locale.ROOT).contains("matmul")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aStopDuringABigMatmulAbandonsTheAssignment() throws Exception {
        StringWriter out = new StringWriter();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            engine.eval("seed(0)\nA = rand(2000, 2000)\nB = rand(2000, 2000)\nZ = 1");
            Future<?> running = pool.submit(() -> engine.eval("Z = A @ B\nprint('went on')", "m.cnn"));
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!inNativeMatmul() && !running.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertTrue(!running.isDone(), "the matmul ended before the test saw it running");
            engine.interrupt();
            expectInterrupted(running, "m.cnn:1:1");
            assertEquals(1L, engine.get("Z"), "Z is unchanged");
            assertEquals("", out.toString());
            assertEquals(2L, engine.eval("1 + 1"), "the session goes on");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStopDuringALongHostCallAbandonsTheStatement() throws Exception {
        StringWriter out = new StringWriter();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        java.util.concurrent.atomic.AtomicReference<CountDownLatch[]> latches = new java.util.concurrent.atomic.AtomicReference<>();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            engine.define("slow", "Waits until the test lets it return.", args -> {
                CountDownLatch[] l = latches.get();
                l[0].countDown();
                try {
                    l[1].await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return 5L;
            });
            engine.eval("Z = 1\nX = ones(2)");
            for (String statement : new String[] {"Z = slow()", "X += slow()", "slow()"}) {
                CountDownLatch started = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                latches.set(new CountDownLatch[] {started, release});
                Future<?> running = pool.submit(() -> engine.eval(statement + "\nprint('went on')", "h.cnn"));
                assertTrue(started.await(1, TimeUnit.MINUTES));
                engine.interrupt();
                release.countDown();
                expectInterrupted(running, "h.cnn:1:1");
                assertEquals(1L, engine.get("Z"), statement);
                assertEquals("[1.0, 1.0]", java.util.Arrays.toString(((ai.djl.ndarray.NDArray) engine.get("X")).toFloatArray()),
                        statement);
                assertEquals("", out.toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

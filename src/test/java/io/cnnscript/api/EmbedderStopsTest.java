package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Time and statement limits stop what a hostile script makes long: a chain of heavy native
 * operations in one statement, a comprehension, a huge or deeply nested script's parse. The
 * bounds on elapsed time are loose on purpose (two cores shared by many builds); without the
 * checks they guard, each of these runs for minutes.
 */
class EmbedderStopsTest {

    private static final String TIME_LIMIT = "stopped: the script ran longer than its time limit of 300 ms";

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void aChainOfHeavyOperationsStopsBetweenOperations() {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofMillis(300)).build()) {
            engine.eval("a = randn(600, 600)");
            // One statement of 400 matrix products, in a loop: checked only at statements, it
            // would run every product of the statement before stopping.
            String chain = "b = a" + " @ a".repeat(400);
            long start = System.nanoTime();
            CnnException e = assertThrows(CnnException.class,
                    () -> engine.eval("for i in range(1000) {\n    " + chain + "\n}"));
            long took = millisSince(start);
            assertEquals(TIME_LIMIT, e.detail());
            assertEquals(2, e.line());
            assertTrue(took < 5_000, "stopped after " + took + " ms");
            assertEquals(3L, engine.eval("1 + 2"), "the engine goes on");
        }
    }

    @Test
    void comprehensionIterationsCountAsStatements() {
        try (CnnEngine engine = CnnEngine.builder().maxStatements(1_000_000).build()) {
            CnnException e = assertThrows(CnnException.class,
                    () -> engine.eval("x = [0 for i in range(100000000) if false]"));
            assertEquals("<eval>:1:5: stopped: the script ran more than 1000000 statements (the engine's limit)",
                    e.getMessage());
            assertEquals(3L, engine.eval("len([i for i in range(3)])"));
        }
    }

    @Test
    void aComprehensionStopsAtTheTimeLimit() {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofMillis(300)).build()) {
            long start = System.nanoTime();
            CnnException e = assertThrows(CnnException.class,
                    () -> engine.eval("x = [0 for i in range(100000000) if false]"));
            long took = millisSince(start);
            assertEquals("<eval>:1:5: " + TIME_LIMIT, e.getMessage());
            assertTrue(took < 5_000, "stopped after " + took + " ms");
        }
    }

    @Test
    void theTimeLimitIsCheckedAtEveryStatement() {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofMillis(300)).build()) {
            engine.eval("a = randn(500, 500)");
            long start = System.nanoTime();
            // Each statement is slow; the old check every 64 statements let 64 of them run.
            CnnException e = assertThrows(CnnException.class,
                    () -> engine.eval("while true {\n    b = a @ a @ a @ a\n}"));
            long took = millisSince(start);
            assertEquals(TIME_LIMIT, e.detail());
            assertTrue(took < 5_000, "stopped after " + took + " ms");
        }
    }

    @Test
    void deepNestingIsAClearErrorNotALongParse() {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofSeconds(2)).build()) {
            long start = System.nanoTime();
            CnnException e = assertThrows(CnnException.class,
                    () -> engine.eval("x = " + "(".repeat(20_000) + "1" + ")".repeat(20_000)));
            assertEquals("<eval>:1:205: nesting too deep (more than 200 levels of brackets and blocks)",
                    e.getMessage());
            e = assertThrows(CnnException.class,
                    () -> engine.eval("if true {\n".repeat(100_000) + "x = 1\n" + "}\n".repeat(100_000)));
            assertEquals("<eval>:201:9: nesting too deep (more than 200 levels of brackets and blocks)",
                    e.getMessage());
            long took = millisSince(start);
            assertTrue(took < 10_000, "refused after " + took + " ms");
            assertEquals(1L, engine.eval("(" .repeat(100) + "1" + ")".repeat(100)), "100 levels are fine");
        }
    }

    /** A script of a few megabytes, slow to parse: its parse is inside the time limit. */
    private static final String HUGE = "x = 1 + 2 * 3 - 4\n".repeat(300_000);

    @Test
    void parsingIsInsideTheTimeLimit() {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofMillis(300)).build()) {
            long start = System.nanoTime();
            CnnException e = assertThrows(CnnException.class, () -> engine.eval(HUGE));
            long took = millisSince(start);
            assertEquals(TIME_LIMIT, e.detail());
            assertTrue(e.line() > 0, e.getMessage());
            assertTrue(took < 5_000, "stopped after " + took + " ms");
            e = assertThrows(CnnException.class, () -> engine.compile(HUGE));
            assertEquals(TIME_LIMIT, e.detail());
        }
    }

    @Test
    void interruptAndCloseStopAParse() throws Exception {
        for (boolean close : new boolean[] {false, true}) {
            CnnEngine engine = CnnEngine.builder().build();
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
                try {
                    engine.eval(HUGE);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            Thread.sleep(300);
            long start = System.nanoTime();
            if (close) {
                engine.close();
            } else {
                engine.interrupt();
            }
            Throwable t = run.get(20, TimeUnit.SECONDS);
            long took = millisSince(start);
            assertTrue(t instanceof CnnException c && c.detail().equals("interrupted"), String.valueOf(t));
            assertTrue(took < 5_000, (close ? "close" : "interrupt") + " took " + took + " ms");
            if (!close) {
                assertEquals(3L, engine.eval("1 + 2"));
                engine.close();
            }
        }
    }

    /**
     * interrupt() is sticky as a Java thread's interrupt flag: sent while nothing runs, it stops
     * the next eval, run or call at its first statement, once; the run after goes on.
     */
    @Test
    void anInterruptSentBeforeARunStopsThatRunOnly() {
        java.io.StringWriter out = new java.io.StringWriter();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            engine.eval("n = 0\nfn f() { print('f ran')\n return 1 }");
            engine.interrupt();
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("n = n + 1\nprint('ran')", "a.cnn"));
            assertEquals("a.cnn:1:1: interrupted", e.getMessage());
            assertEquals(0L, engine.get("n"), "nothing of the stopped run happened");
            assertEquals(1L, engine.eval("n = n + 1\nn"), "only the next run is stopped");

            CnnScript step = engine.compile("n = n + 1\nn");
            engine.interrupt();
            assertEquals("interrupted", assertThrows(CnnException.class, step::run).detail());
            assertEquals(2L, step.run());

            engine.interrupt();
            assertEquals("interrupted", assertThrows(CnnException.class, () -> engine.call("f")).detail());
            assertEquals(1L, engine.call("f"));
            assertEquals("f ran\n", out.toString());

            // Two interrupts while idle are one: they stop one run.
            engine.interrupt();
            engine.interrupt();
            assertThrows(CnnException.class, () -> engine.eval("n"));
            assertEquals(2L, engine.eval("n"));
        }
    }

    /** An interrupt that stops a running script is used up: the next run is not stopped. */
    @Test
    void anInterruptThatStoppedARunDoesNotStopTheNext() throws Exception {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            engine.define("started", "", args -> {
                started.countDown();
                return null;
            });
            CompletableFuture<Object> running = CompletableFuture.supplyAsync(
                    () -> engine.eval("started()\ni = 0\nwhile true { i += 1 }"));
            assertTrue(started.await(1, TimeUnit.MINUTES));
            engine.interrupt();
            Exception e = assertThrows(Exception.class, () -> running.get(1, TimeUnit.MINUTES));
            assertTrue(e.getCause() instanceof CnnException c && c.detail().equals("interrupted"), e.toString());
            assertEquals(3L, engine.eval("1 + 2"));
        }
    }
}

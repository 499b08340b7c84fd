package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Script ints are of any size, but bounded: a huge power is refused before it is computed, and
 * a loop of big-int work stops at the engine's timeout or interrupt (issue 14, item 3).
 */
class BigIntLimitsTest {

    private static final String TOO_LARGE =
            "int too large: the result would have more than 100,000 bits, the limit for ints (about 30,000 digits)";

    @Test
    void hugePowersStopAtOnceWithALocatedError() {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofSeconds(2)).build()) {
            for (String source : new String[] {"x = 3 ** 9223372036854775807", "x = 2 ** 10 ** 12", "x = 7 ** 2 ** 70"}) {
                CnnException e = assertThrows(CnnException.class, () -> engine.eval(source), source);
                assertEquals("<eval>:1:7: " + TOO_LARGE, e.getMessage(), source);
            }
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("x = 3\nwhile true { x = x * x }"));
            assertEquals("<eval>:2:20: " + TOO_LARGE, e.getMessage());
            assertEquals(new BigInteger("1267650600228229401496703205376"), engine.eval("2 ** 100"));
        }
    }

    @Test
    void bigIntWorkStopsAtTheTimeout() {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofMillis(300)).build()) {
            long start = System.nanoTime();
            CnnException e = assertThrows(CnnException.class,
                    () -> engine.eval("x = 3 ** 60000\nwhile true { y = x * 3 - x % 11 }"));
            assertTrue(e.detail().startsWith("stopped: the script ran longer than its time limit of 300 ms"),
                    e.getMessage());
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "the timeout took effect late");
        }
    }

    @Test
    void bigIntWorkStopsAtAnInterrupt() throws Exception {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            // One interrupt is enough: sent before the script starts, it stops it at its start.
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                engine.interrupt();
            });
            stopper.start();
            CnnException e;
            try {
                e = assertThrows(CnnException.class,
                        () -> engine.eval("x = 3 ** 60000\nwhile true { y = x * 3 - x % 11 }"));
            } finally {
                stopper.join();
            }
            assertEquals("interrupted", e.detail());
        }
    }

    @Test
    void hostBigIntegersComeInAndGoOut() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.set("n", new BigInteger("123456789012345678901234567890"));
            assertEquals(new BigInteger("123456789012345678901234567891"), engine.eval("n + 1"));
            engine.set("m", BigInteger.valueOf(5));
            assertEquals(6L, engine.eval("m + 1"));
        }
    }
}

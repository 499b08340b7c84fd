package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** train()'s progress line fits the terminal: never wider than its width - 1 columns. */
class ProgressLineTest {

    private static String line(int done, int total, int width) {
        return Training.Progress.line(1, 10, done, total, 0.5, 3.0, width);
    }

    @Test
    void wideTerminalsGetTheWholeLineWithA30CellBar() {
        String full = "epoch 1/10 [===============>              ] 118/235  loss 0.5000  3.0 s";
        assertEquals(full, line(118, 235, 80));
        assertEquals(full, line(118, 235, 200));
        assertEquals("epoch 1/10 [" + "=".repeat(30) + "] 235/235  loss 0.5000  3.0 s", line(235, 235, 80));
        assertEquals("epoch 1/10 [>                             ] 0/235  loss 0.5000  3.0 s", line(0, 235, 80));
    }

    @Test
    void narrowTerminalsShrinkTheBarThenDropFields() {
        // 50 columns: the time goes so that a 15-cell bar fits in 49.
        assertEquals("epoch 1/10 [=======>       ] 118/235  loss 0.5000", line(118, 235, 50));
        // 40 columns: not even a 10-cell bar fits; without it the time does.
        assertEquals("epoch 1/10 118/235  loss 0.5000  3.0 s", line(118, 235, 40));
        assertEquals("epoch 1/10 118/235  loss 0.5000", line(118, 235, 33));
        assertEquals("epoch 1/10 118/235", line(118, 235, 20));
        assertEquals("epoch 1/1", line(118, 235, 10));
        assertEquals("", line(118, 235, 1));
    }

    @Test
    void noLineIsWiderThanTheWidthMinusOne() {
        for (int width = 1; width <= 200; width++) {
            for (int done : new int[] {0, 1, 117, 9999}) {
                String s = Training.Progress.line(12, 100, done, 9999, 123.456789, 12345.6, width);
                assertTrue(s.length() <= Math.max(0, width - 1), width + ": " + s);
                String unknown = Training.Progress.line(12, 100, done, -1, 0.25, 1.0, width);
                assertTrue(unknown.length() <= Math.max(0, width - 1), width + ": " + unknown);
            }
        }
        assertEquals("epoch 1/10 57 batches  loss 0.5000  3.0 s", line(57, -1, 80));
        assertEquals("epoch 1/10 57 batches", line(57, -1, 30));
    }

    /** What reaches the terminal: each redraw fits, a shorter one blanks the longer one's tail. */
    @Test
    void redrawsFitAfterTheWindowShrinks() {
        StringWriter text = new StringWriter();
        AtomicInteger columns = new AtomicInteger(80);
        Training.Progress p = Training.Progress.onTerminal(new PrintWriter(text), 4, columns::get);
        long start = System.nanoTime();
        p.update(1, 2, 4, 0.5, start); // the last batch always draws
        columns.set(30);
        p.update(2, 2, 4, 0.5, start);
        p.clear();
        String out = text.toString();
        String[] parts = out.split("\r", -1);
        // "", the 80-column line, the 30-column line with blanks over the rest of the old one (up
        // to the new width only), the 30-column line again, blanks over it, "".
        assertEquals(6, parts.length, out);
        assertTrue(parts[1].startsWith("epoch 1/2 [" + "=".repeat(30) + "] 4/4  loss 0.5000  "), parts[1]);
        assertTrue(parts[1].length() <= 79, parts[1]);
        assertEquals("epoch 2/2 4/4  loss 0.5000", parts[3]);
        assertEquals(parts[3] + "   ", parts[2]);
        assertEquals(" ".repeat(parts[3].length()), parts[4]);
        assertEquals("", parts[5]);
    }
}

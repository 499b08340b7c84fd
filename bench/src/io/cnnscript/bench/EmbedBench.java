package io.cnnscript.bench;

import io.cnnscript.api.CnnEngine;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The embedding rows of issue 14: how long the first {@code build()} + {@code eval} takes in a
 * fresh JVM ("first", run as its own process by bench/run: it includes loading libtorch), how
 * long later ones take in the same JVM ("warm"), and the resident set size while 1000 engines
 * are created, used and closed one after the other (flat means closed engines are freed).
 *
 * <p>{@code EmbedBench first} prints one latency; {@code EmbedBench [engines]} the rest.
 */
public final class EmbedBench {

    private EmbedBench() {}

    private static double once() {
        long t0 = System.nanoTime();
        try (CnnEngine e = CnnEngine.builder().out(Writer.nullWriter()).build()) {
            e.eval("x = (randn(10, 10) @ ones(10, 1)).sum().item()");
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("first")) {
            System.out.printf(Locale.ROOT, "FIRST %.1f%n", once());
            return;
        }
        int engines = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        once();
        List<Double> warm = new ArrayList<>();
        double rss10 = 0;
        for (int i = 1; i <= engines; i++) {
            double ms = once();
            if (i <= 50) {
                warm.add(ms);
            }
            if (i == 10) {
                rss10 = MemoryBench.rssKb() / 1024.0;
            }
        }
        System.gc();
        double rssAfter = MemoryBench.rssKb() / 1024.0;
        Collections.sort(warm);
        System.out.printf(Locale.ROOT, "RESULT embed warm_median=%.1f warm_min=%.1f engines=%d rss_10_mb=%.0f rss_after_mb=%.0f%n",
                warm.get(warm.size() / 2), warm.get(0), engines, rss10, rssAfter);
    }
}

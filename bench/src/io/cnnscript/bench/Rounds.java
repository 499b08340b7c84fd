package io.cnnscript.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The timing loop the DJL benchmarks share: in each round every side runs once and is timed; the
 * first round warms them up and is not counted. With {@code alternate}, the sides run in reverse
 * order in every other round, so that a load that rises or falls during the run favours none.
 */
final class Rounds {

    private Rounds() {}

    /** A side of the comparison: its name in the report, and one run that returns what it reports. */
    record Side(String name, Supplier<String> run) {}

    /** Runs the rounds and prints one line per round; gives each side's counted times, by name. */
    static Map<String, List<Double>> run(int rounds, boolean alternate, List<Side> sides) {
        Map<String, List<Double>> times = new LinkedHashMap<>();
        sides.forEach(s -> times.put(s.name(), new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            List<Side> order = new ArrayList<>(sides);
            if (alternate && r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            Map<String, String> report = new LinkedHashMap<>();
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (Side s : order) {
                long t0 = System.nanoTime();
                String detail = s.run().get();
                seconds.put(s.name(), (System.nanoTime() - t0) / 1e9);
                report.put(s.name(), detail);
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d%s:", r + 1, r == 0 ? " (warm-up)" : ""));
            String sep = " ";
            for (Side s : sides) {
                line.append(sep).append(String.format(Locale.ROOT, "%s %.2f s (%s)", s.name(), seconds.get(s.name()),
                        report.get(s.name())));
                sep = " | ";
                if (r > 0) {
                    times.get(s.name()).add(seconds.get(s.name()));
                }
            }
            System.out.println(line);
        }
        return times;
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /**
     * A definition from one of the examples, so that a benchmark runs the example's own code: the
     * lines from the one that starts with {@code head} to the first line that is a lone "}".
     * The examples are found under the system property cnn.home (bench/run sets it), else here.
     */
    static String definition(String example, String head) {
        Path file = Path.of(System.getProperty("cnn.home", "."), "examples", example);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder out = null;
        for (String line : lines) {
            if (out == null && line.startsWith(head)) {
                out = new StringBuilder();
            }
            if (out != null) {
                out.append(line).append('\n');
                if (line.equals("}")) {
                    return out.toString();
                }
            }
        }
        throw new IllegalStateException(file + " has no definition starting with '" + head + "' and ending with a lone '}'");
    }
}

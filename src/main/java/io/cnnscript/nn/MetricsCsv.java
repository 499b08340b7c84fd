package io.cnnscript.nn;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Appends one row per epoch to {@code metrics.csv} in a log directory:
 * {@code epoch,train_loss,train_acc,test_acc,seconds}. The header is written once, when the file
 * is new; every row is flushed as it is written so the file is always complete up to the last
 * finished epoch. An accuracy that was not measured can be written as NaN.
 */
public final class MetricsCsv implements Closeable {

    public static final String FILE_NAME = "metrics.csv";
    public static final String HEADER = "epoch,train_loss,train_acc,test_acc,seconds";

    /** One parsed row. */
    public record Row(int epoch, double trainLoss, double trainAcc, double testAcc, double seconds) {}

    private final Path file;
    private final BufferedWriter out;

    /** Opens (creating if needed) {@code logDir/metrics.csv} for appending. */
    public MetricsCsv(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        this.file = logDir.resolve(FILE_NAME);
        boolean fresh = !Files.exists(file) || Files.size(file) == 0;
        if (!fresh) {
            // appending rows of another shape would make the file unreadable for CurvePlot
            String first;
            try (var r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                first = r.readLine();
            }
            if (!HEADER.equals(first == null ? null : first.strip())) {
                throw new IllegalArgumentException(file + ": existing file does not start with the header '"
                        + HEADER + "'");
            }
        }
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (fresh) {
            out.write(HEADER);
            out.newLine();
            out.flush();
        }
    }

    public Path file() {
        return file;
    }

    public synchronized void append(int epoch, double trainLoss, double trainAcc, double testAcc, double seconds)
            throws IOException {
        out.write(String.format(Locale.ROOT, "%d,%s,%s,%s,%.3f", epoch,
                num(trainLoss), num(trainAcc), num(testAcc), seconds));
        out.newLine();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : Double.toString(v);
    }

    /**
     * Reads a metrics file back.
     *
     * @throws IllegalArgumentException naming the file (and line) if it is missing or malformed
     */
    public static List<Row> read(Path csv) {
        return read(csv, csv.toString());
    }

    /** As {@link #read(Path)}; messages name the file as {@code shown} (as the script wrote it). */
    public static List<Row> read(Path file, String shown) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(shown + ": not found", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(shown + ": cannot read: " + io.cnnscript.lib.Errors.ioMessage(e), e);
        }
        String csv = shown;
        if (lines.isEmpty() || !HEADER.equals(lines.get(0).strip())) {
            throw new IllegalArgumentException(csv + ":1: expected header '" + HEADER + "'");
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            String where = csv + ":" + (i + 1) + ": ";
            if (f.length != 5) {
                throw new IllegalArgumentException(where + "expected 5 columns, found " + f.length);
            }
            double[] v = new double[5];
            for (int c = 0; c < 5; c++) {
                try {
                    v[c] = c == 0 ? Integer.parseInt(f[0].strip()) : Double.parseDouble(f[c]);
                } catch (NumberFormatException e) {
                    // The message says where, never what: the text may be anything.
                    throw new IllegalArgumentException(where + "not a number in column " + (c + 1), e);
                }
            }
            rows.add(new Row((int) v[0], v[1], v[2], v[3], v[4]));
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(csv + ": no data rows");
        }
        return rows;
    }
}

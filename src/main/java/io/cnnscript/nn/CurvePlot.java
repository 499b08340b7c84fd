package io.cnnscript.nn;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Draws the training curves of a run ({@code metrics.csv}, see {@link MetricsCsv}) into a PNG:
 * loss on the left, train and test accuracy on the right, both against epoch.
 */
public final class CurvePlot {

    static {
        // must be set before the first AWT class initialises; we never open a window
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 1000;
    static final int HEIGHT = 450;

    private static final Color TRAIN = new Color(0x1f, 0x77, 0xb4);
    private static final Color TEST = new Color(0xff, 0x7f, 0x0e);
    private static final Color GRID = new Color(0xe0, 0xe0, 0xe0);

    private CurvePlot() {}

    /** A line to draw: legend label, colour, and which column of a row it plots. */
    private record Series(String label, Color color, ToDoubleFunction<MetricsCsv.Row> value) {}

    /**
     * Reads {@code logDir/metrics.csv} and writes the plot to {@code png}, atomically (a reader
     * never sees a half-written image).
     *
     * @throws IllegalArgumentException naming the file if metrics.csv is missing or malformed
     * @throws UncheckedIOException if the PNG cannot be written
     */
    public static void plot(Path logDir, Path png) {
        plot(logDir, logDir.resolve(MetricsCsv.FILE_NAME), png);
    }

    /** As {@link #plot(Path, Path)}, reading the metrics from {@code csv} (already checked). */
    public static void plot(Path logDir, Path csv, Path png) {
        plot(logDir, csv, png, csv.toString(), png.toString());
    }

    /** As {@link #plot(Path, Path, Path)}; messages name the files as the script wrote them. */
    public static void plot(Path logDir, Path csv, Path png, String shownCsv, String shownPng) {
        if (Files.isDirectory(png)) {
            throw new UncheckedIOException(shownPng + ": cannot write: it is a folder, not a file", new IOException());
        }
        String format = format(png, shownPng);
        List<MetricsCsv.Row> rows = MetricsCsv.read(csv, shownCsv);
        String name = logDir.toAbsolutePath().normalize().getFileName() == null
                ? logDir.toString() : logDir.toAbsolutePath().normalize().getFileName().toString();
        BufferedImage image = render(rows, "Training curves: " + name);
        try {
            write(image, png.toAbsolutePath(), format);
        } catch (IOException e) {
            throw new UncheckedIOException(shownPng + ": cannot write: " + io.cnnscript.lib.Errors.ioMessage(e), e);
        }
    }

    static BufferedImage render(List<MetricsCsv.Row> rows, String title) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);

            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 30);

            int top = 60;
            int bottom = HEIGHT - 55;
            panel(g, rows, "Loss", "loss", List.of(
                    new Series("train loss", TRAIN, MetricsCsv.Row::trainLoss)),
                    70, top, WIDTH / 2 - 30, bottom, false);
            panel(g, rows, "Accuracy", "accuracy", List.of(
                    new Series("train acc", TRAIN, MetricsCsv.Row::trainAcc),
                    new Series("test acc", TEST, MetricsCsv.Row::testAcc)),
                    WIDTH / 2 + 70, top, WIDTH - 30, bottom, true);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** One chart in the box (x0,y0)-(x1,y1) of the plot area, axes and labels drawn outside it. */
    private static void panel(Graphics2D g, List<MetricsCsv.Row> rows, String title, String yLabel,
                              List<Series> given, int x0, int y0, int x1, int y1, boolean unitRange) {
        // A series without a single value (test acc of a run without a test set) is left out of
        // the legend too, which would otherwise name a line that is not there.
        List<Series> series = given.stream()
                .filter(s -> rows.stream().anyMatch(r -> Double.isFinite(s.value().applyAsDouble(r)))).toList();
        if (series.isEmpty()) {
            series = given;
        }
        double xMin = rows.stream().mapToInt(MetricsCsv.Row::epoch).min().orElse(0);
        double xMax = rows.stream().mapToInt(MetricsCsv.Row::epoch).max().orElse(1);
        if (xMax == xMin) { // a single epoch still gets a visible axis
            xMin -= 1;
            xMax += 1;
        }
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (MetricsCsv.Row r : rows) {
                double v = s.value().applyAsDouble(r);
                if (Double.isFinite(v)) {
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        if (!Double.isFinite(yMin)) { // nothing measured: show an empty, labelled chart
            yMin = 0;
            yMax = 1;
        }
        // a flat curve (one epoch, say) still needs a readable range around its value
        double pad = yMax - yMin > 1e-9 ? (yMax - yMin) * 0.08 : Math.max(Math.abs(yMax) * 0.1, 0.05);
        yMin -= pad;
        yMax += pad;
        if (unitRange) { // accuracies live in [0,1]
            yMin = Math.max(0, yMin);
            yMax = Math.min(1, yMax);
        } else if (yMin < 0 && rows.stream().allMatch(r -> !(r.trainLoss() < 0))) {
            yMin = 0;
        }
        double[] yTicks = ticks(yMin, yMax, 6);
        yMin = Math.min(yMin, yTicks[0]);
        yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
        double xStep = Math.max(1, Math.ceil(niceStep((xMax - xMin) / 10)));
        final double fxMin = xMin;
        final double fxMax = xMax;
        final double fyMin = yMin;
        final double fyMax = yMax;
        java.util.function.DoubleUnaryOperator px = x -> x0 + (x - fxMin) / (fxMax - fxMin) * (x1 - x0);
        java.util.function.DoubleUnaryOperator py = y -> y1 - (y - fyMin) / (fyMax - fyMin) * (y1 - y0);

        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();

        // grid and tick labels
        int tickLabelWidth = 0;
        for (double t : yTicks) {
            tickLabelWidth = Math.max(tickLabelWidth, fm.stringWidth(fmt(t, yTicks)));
        }
        for (double t : yTicks) {
            int y = (int) Math.round(py.applyAsDouble(t));
            g.setColor(GRID);
            g.drawLine(x0, y, x1, y);
            g.setColor(Color.BLACK);
            g.drawLine(x0 - 5, y, x0, y);
            String s = fmt(t, yTicks);
            g.drawString(s, x0 - 8 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
        for (double t = Math.ceil(xMin / xStep) * xStep; t <= xMax + 1e-9; t += xStep) {
            int x = (int) Math.round(px.applyAsDouble(t));
            g.setColor(GRID);
            g.drawLine(x, y0, x, y1);
            g.setColor(Color.BLACK);
            g.drawLine(x, y1, x, y1 + 5);
            String s = String.valueOf((long) t);
            g.drawString(s, x - fm.stringWidth(s) / 2, y1 + 8 + fm.getAscent());
        }

        // axes
        g.setColor(Color.BLACK);
        g.drawLine(x0, y1, x1, y1);
        g.drawLine(x0, y0, x0, y1);
        String xl = "epoch";
        g.drawString(xl, (x0 + x1 - fm.stringWidth(xl)) / 2, y1 + 40);
        Graphics2D rot = (Graphics2D) g.create();
        rot.rotate(-Math.PI / 2);
        rot.drawString(yLabel, -(y0 + y1 + fm.stringWidth(yLabel)) / 2, x0 - 16 - tickLabelWidth);
        rot.dispose();
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        FontMetrics tfm = g.getFontMetrics();
        g.drawString(title, (x0 + x1 - tfm.stringWidth(title)) / 2, y0 - 10);

        // curves, broken where a value is missing (NaN)
        Stroke old = g.getStroke();
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (Series s : series) {
            g.setColor(s.color());
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            List<double[]> points = new ArrayList<>();
            for (MetricsCsv.Row r : rows) {
                double v = s.value().applyAsDouble(r);
                if (!Double.isFinite(v)) {
                    pen = false;
                    continue;
                }
                double x = px.applyAsDouble(r.epoch());
                double y = py.applyAsDouble(v);
                if (pen) {
                    path.lineTo(x, y);
                } else {
                    path.moveTo(x, y);
                    pen = true;
                }
                points.add(new double[] {x, y});
            }
            g.draw(path);
            for (double[] p : points) { // markers make single epochs and few points visible
                g.fillOval((int) Math.round(p[0]) - 3, (int) Math.round(p[1]) - 3, 7, 7);
            }
        }
        g.setStroke(old);

        // legend, top right inside the chart
        g.setFont(small);
        int lw = 0;
        for (Series s : series) {
            lw = Math.max(lw, fm.stringWidth(s.label()));
        }
        int boxW = lw + 45;
        int boxH = 8 + series.size() * 18;
        List<double[]> drawn = new ArrayList<>();
        for (Series s : series) {
            double[] prev = null;
            for (MetricsCsv.Row r : rows) {
                double v = s.value().applyAsDouble(r);
                if (!Double.isFinite(v)) {
                    prev = null;
                    continue;
                }
                double[] p = {px.applyAsDouble(r.epoch()), py.applyAsDouble(v)};
                if (prev != null) { // points along the line too, so the box does not hide a segment
                    for (int k = 1; k < 8; k++) {
                        drawn.add(new double[] {prev[0] + (p[0] - prev[0]) * k / 8, prev[1] + (p[1] - prev[1]) * k / 8});
                    }
                }
                drawn.add(p);
                prev = p;
            }
        }
        int[] corner = legendCorner(drawn, x0, y0, x1, y1, boxW, boxH);
        int bx = corner[0];
        int by = corner[1];
        g.setColor(new Color(255, 255, 255, 230));
        g.fillRect(bx, by, boxW, boxH);
        g.setColor(Color.GRAY);
        g.drawRect(bx, by, boxW, boxH);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int ly = by + 16 + i * 18;
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.2f));
            g.drawLine(bx + 8, ly - 4, bx + 30, ly - 4);
            g.setStroke(old);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), bx + 36, ly);
        }
    }

    /**
     * Where the legend box goes: the corner of the chart (top right, bottom right, top left,
     * bottom left, in that order of preference) whose box covers the fewest drawn points, as
     * matplotlib's loc="best" does. Returns the box's left and top.
     */
    static int[] legendCorner(List<double[]> points, int x0, int y0, int x1, int y1, int boxW, int boxH) {
        int[][] corners = {
            {x1 - boxW - 8, y0 + 8}, {x1 - boxW - 8, y1 - boxH - 8}, {x0 + 8, y0 + 8}, {x0 + 8, y1 - boxH - 8}};
        int[] best = corners[0];
        int fewest = Integer.MAX_VALUE;
        for (int[] c : corners) {
            int covered = 0;
            for (double[] p : points) {
                // a margin for the marker's radius and the line's width
                if (p[0] >= c[0] - 5 && p[0] <= c[0] + boxW + 5 && p[1] >= c[1] - 5 && p[1] <= c[1] + boxH + 5) {
                    covered++;
                }
            }
            if (covered < fewest) {
                fewest = covered;
                best = c;
            }
        }
        return best;
    }

    /** Tick positions covering [min,max] with a 1/2/5 x 10^k step. */
    static double[] ticks(double min, double max, int approxCount) {
        double step = niceStep((max - min) / Math.max(1, approxCount - 1));
        double first = Math.floor(min / step + 1e-9) * step;
        double last = Math.ceil(max / step - 1e-9) * step;
        int n = (int) Math.round((last - first) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = first + i * step;
        }
        return t;
    }

    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    /** Enough decimals to tell neighbouring ticks apart, no more. */
    private static String fmt(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** The image format the file name asks for: "png", or "jpg" for .jpg and .jpeg; others are refused. */
    static String format(Path file) {
        return format(file, file.toString());
    }

    static String format(Path file, String shown) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "jpg";
        }
        throw new IllegalArgumentException(shown + ": the image is written as PNG (.png) or JPEG (.jpg, .jpeg); "
                + "name the file so");
    }

    /** The image file's bytes as PNG (a JPEG one is read and encoded again), for a display that shows PNG. */
    public static byte[] pngOf(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (format(file).equals("png")) {
            return bytes;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(ImageIO.read(new java.io.ByteArrayInputStream(bytes)), "png", out);
        return out.toByteArray();
    }

    static void write(BufferedImage image, Path png) throws IOException {
        write(image, png, "png");
    }

    static void write(BufferedImage image, Path png, String format) throws IOException {
        if (Files.isDirectory(png)) {
            throw new IOException("it is a folder, not a file");
        }
        Path dir = png.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + png.getFileName() + ".", ".tmp");
        try {
            if (!ImageIO.write(image, format, tmp.toFile())) {
                throw new IOException("no " + format + " writer available");
            }
            try {
                Files.move(tmp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}

package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurvePlotTest {

    @TempDir
    Path tmp;

    @Test
    void drawsANonBlankPng() throws IOException {
        Path log = tmp.resolve("run1");
        try (MetricsCsv csv = new MetricsCsv(log)) {
            double[] loss = {1.25, 0.68, 0.55, 0.49, 0.45, 0.42, 0.40, 0.38, 0.37, 0.36};
            for (int e = 1; e <= loss.length; e++) {
                csv.append(e, loss[e - 1], 0.55 + 0.035 * e, 0.53 + 0.032 * e, 10 + e);
            }
        }
        Path png = tmp.resolve("out/curves.png");
        CurvePlot.plot(log, png);

        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(CurvePlot.WIDTH, img.getWidth());
        assertEquals(CurvePlot.HEIGHT, img.getHeight());
        int white = 0;
        Set<Integer> colours = new HashSet<>();
        boolean trainBlue = false;
        boolean testOrange = false;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                white += rgb == 0xffffff ? 1 : 0;
                trainBlue |= rgb == 0x1f77b4;
                testOrange |= rgb == 0xff7f0e;
            }
        }
        int total = img.getWidth() * img.getHeight();
        assertTrue(white < total * 0.98, "image is (almost) blank");
        assertTrue(white > total * 0.5, "background should be white");
        assertTrue(colours.size() > 20, "only " + colours.size() + " colours");
        assertTrue(trainBlue && testOrange, "both curve colours drawn");
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(1, files.count(), "no temp file left behind");
        }

        // plotting again replaces the file in place
        CurvePlot.plot(log, png);
        assertEquals(CurvePlot.WIDTH, ImageIO.read(png.toFile()).getWidth());
    }

    @Test
    void singleEpochAndMissingTestAccuracy() throws IOException {
        try (MetricsCsv csv = new MetricsCsv(tmp)) {
            csv.append(1, 2.3, 0.1, Double.NaN, 5);
        }
        Path png = tmp.resolve("one.png");
        CurvePlot.plot(tmp, png);
        assertEquals(CurvePlot.HEIGHT, ImageIO.read(png.toFile()).getHeight());
    }

    /** Without a test set the legend names only the train curves: no orange anywhere. */
    @Test
    void aRunWithoutTestAccuracyHasNoTestAccInTheLegend() throws IOException {
        Path log = tmp.resolve("no-test");
        try (MetricsCsv csv = new MetricsCsv(log)) {
            csv.append(1, 0.7, 0.5, Double.NaN, 1);
            csv.append(2, 0.6, 0.6, Double.NaN, 1);
        }
        BufferedImage img = CurvePlot.render(MetricsCsv.read(log.resolve("metrics.csv")), "t");
        int orange = 0;
        int blue = 0;
        for (int y = 0; y < CurvePlot.HEIGHT; y++) {
            for (int x = 0; x < CurvePlot.WIDTH; x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                orange += rgb == 0xff7f0e ? 1 : 0;
                blue += rgb == 0x1f77b4 ? 1 : 0;
            }
        }
        assertEquals(0, orange, "a test acc legend entry was drawn");
        assertTrue(blue > 100, "the train curves are missing: " + blue);
    }

    @Test
    void missingOrMalformedCsvNamesTheFile() throws IOException {
        Path png = tmp.resolve("x.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CurvePlot.plot(tmp, png));
        assertEquals(tmp.resolve("metrics.csv") + ": not found", e.getMessage());

        Files.writeString(tmp.resolve("metrics.csv"), "epoch;loss\n1;2\n");
        e = assertThrows(IllegalArgumentException.class, () -> CurvePlot.plot(tmp, png));
        assertTrue(e.getMessage().startsWith(tmp.resolve("metrics.csv") + ":1: expected header"), e.getMessage());
        assertTrue(!Files.exists(png));
    }

    @Test
    void niceTicks() {
        assertEquals(0.1, CurvePlot.niceStep(0.07), 1e-12);
        assertEquals(2.0, CurvePlot.niceStep(1.3), 1e-12);
        assertEquals(5.0, CurvePlot.niceStep(4.2), 1e-12);
        double[] t = CurvePlot.ticks(0.32, 1.27, 6);
        assertEquals(0.2, t[0], 1e-9);
        assertEquals(1.4, t[t.length - 1], 1e-9);
    }

    @Test
    void theLegendGoesWhereNoPointIs() {
        // Rising accuracies end in the top right corner: the legend moves to the bottom right.
        java.util.List<double[]> rising = new java.util.ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            rising.add(new double[] {100 + i * 40, 400 - i * 34});
        }
        int[] box = CurvePlot.legendCorner(rising, 100, 60, 500, 400, 110, 44);
        assertEquals(500 - 110 - 8, box[0]);
        assertEquals(400 - 44 - 8, box[1]);
        for (double[] p : rising) {
            assertTrue(!(p[0] >= box[0] && p[0] <= box[0] + 110 && p[1] >= box[1] && p[1] <= box[1] + 44));
        }
        // Nothing in the top right: it stays there.
        int[] free = CurvePlot.legendCorner(java.util.List.of(new double[] {120, 380}), 100, 60, 500, 400, 110, 44);
        assertEquals(500 - 110 - 8, free[0]);
        assertEquals(60 + 8, free[1]);
    }

    @Test
    void theLastPointsStayVisible() throws IOException {
        Path log = tmp.resolve("run");
        try (MetricsCsv csv = new MetricsCsv(log)) {
            for (int e = 1; e <= 10; e++) {
                csv.append(e, 1.0 / e, 0.5 + 0.049 * e, 0.5 + 0.048 * e, 1);
            }
        }
        BufferedImage img = CurvePlot.render(MetricsCsv.read(log.resolve("metrics.csv")), "t");
        // The accuracy chart's top right corner, where the legend used to sit over the last epochs.
        int orange = 0;
        for (int y = 60; y < 130; y++) {
            for (int x = CurvePlot.WIDTH - 130; x < CurvePlot.WIDTH - 30; x++) {
                orange += (img.getRGB(x, y) & 0xffffff) == 0xff7f0e ? 1 : 0;
            }
        }
        assertTrue(orange > 20, "the test curve's last points are hidden: " + orange + " orange pixels");
    }

    @Test
    void jpgNamesGetJpegAndOtherNamesAreRefused() throws IOException {
        try (MetricsCsv csv = new MetricsCsv(tmp)) {
            csv.append(1, 2.3, 0.1, 0.2, 5);
            csv.append(2, 1.3, 0.3, 0.4, 5);
        }
        Path jpg = tmp.resolve("c.jpg");
        CurvePlot.plot(tmp, jpg);
        byte[] bytes = Files.readAllBytes(jpg);
        assertEquals(0xff, bytes[0] & 0xff);
        assertEquals(0xd8, bytes[1] & 0xff); // JPEG's start-of-image marker, not PNG's signature
        assertEquals(CurvePlot.WIDTH, ImageIO.read(jpg.toFile()).getWidth());
        CurvePlot.plot(tmp, tmp.resolve("c.JPEG"));
        assertEquals(0xd8, Files.readAllBytes(tmp.resolve("c.JPEG"))[1] & 0xff);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CurvePlot.plot(tmp, tmp.resolve("c.gif")));
        assertEquals(tmp.resolve("c.gif") + ": the image is written as PNG (.png) or JPEG (.jpg, .jpeg); name the file so",
                e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("c.gif")));
    }
}

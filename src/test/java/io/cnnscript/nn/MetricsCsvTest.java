package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {

    @TempDir
    Path tmp;

    @Test
    void writesHeaderOnceAndFlushesEachRow() throws IOException {
        Path dir = tmp.resolve("log");
        try (MetricsCsv csv = new MetricsCsv(dir)) {
            csv.append(1, 0.912345678, 0.65, 0.7, 12.3456);
            // visible before close
            assertEquals(List.of(MetricsCsv.HEADER, "1,0.912346,0.650000,0.700000,12.346"),
                    Files.readAllLines(dir.resolve("metrics.csv")));
        }
        try (MetricsCsv csv = new MetricsCsv(dir)) { // reopening appends, no second header
            csv.append(2, 0.5, 0.8, Double.NaN, 11);
        }
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(3, lines.size());
        assertEquals("2,0.500000,0.800000,NaN,11.000", lines.get(2));

        List<MetricsCsv.Row> rows = MetricsCsv.read(dir.resolve("metrics.csv"));
        assertEquals(new MetricsCsv.Row(1, 0.912346, 0.65, 0.7, 12.346), rows.get(0));
        assertEquals(2, rows.get(1).epoch());
        assertTrue(Double.isNaN(rows.get(1).testAcc()));
    }

    @Test
    void refusesToAppendToAForeignFile() throws IOException {
        Files.writeString(tmp.resolve("metrics.csv"), "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MetricsCsv(tmp));
        assertTrue(e.getMessage().startsWith(tmp.resolve("metrics.csv") + ": "), e.getMessage());
    }

    @Test
    void readReportsFileAndLine() throws IOException {
        Path f = tmp.resolve("metrics.csv");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> MetricsCsv.read(f));
        assertEquals(f + ": not found", missing.getMessage());

        Files.writeString(f, MetricsCsv.HEADER + "\n1,0.5,0.5,0.5,1\n2,0.4,0.6\n");
        assertEquals(f + ":3: expected 5 columns, found 3",
                assertThrows(IllegalArgumentException.class, () -> MetricsCsv.read(f)).getMessage());

        Files.writeString(f, MetricsCsv.HEADER + "\n1,abc,0.5,0.5,1\n");
        assertEquals(f + ":2: not a number in column 2",
                assertThrows(IllegalArgumentException.class, () -> MetricsCsv.read(f)).getMessage());

        Files.writeString(f, MetricsCsv.HEADER + "\n");
        assertEquals(f + ": no data rows",
                assertThrows(IllegalArgumentException.class, () -> MetricsCsv.read(f)).getMessage());
    }
}

package io.cnnscript.value;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Floats print as Python's repr prints them: the shortest digits that read back as the same double. */
class PyFormatTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            4.173e21               | 4.173e+21
            4.9e-324               | 5e-324
            9.931899700615578e16   | 9.931899700615578e+16
            1e16                   | 1e+16
            1e15                   | 1000000000000000.0
            0.0001                 | 0.0001
            0.00001                | 1e-05
            0.1                    | 0.1
            -0.0                   | -0.0
            0.0                    | 0.0
            1e23                   | 1e+23
            2e-3                   | 0.002
            1.7976931348623157e308 | 1.7976931348623157e+308
            Infinity               | inf
            -Infinity              | -inf
            NaN                    | nan
            """)
    void shortestRoundTrip(String javaLiteral, String python) {
        assertEquals(python, PyFormat.floatRepr(Double.parseDouble(javaLiteral)));
    }

    /** About 1,400 doubles (random bit patterns, rounded decimals, edge cases) against Python's own repr. */
    @Test
    void agreesWithPythonOnATable() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/python-float-repr.txt"),
                StandardCharsets.UTF_8);
        int checked = 0;
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ");
            double d = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
            assertEquals(parts[1], PyFormat.floatRepr(d), "bits " + parts[0]);
            checked++;
        }
        assertEquals(true, checked > 1000);
    }

    /** Every repr reads back as the same double and has no more digits than Java's Double.toString. */
    @Test
    void randomDoublesRoundTripWithNoShorterForm() {
        Random r = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            double d = Double.longBitsToDouble(r.nextLong());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                continue;
            }
            String s = PyFormat.floatRepr(d);
            assertEquals(d, Double.parseDouble(s), s);
            String digits = s.replaceFirst("^-", "").replaceFirst("e.*$", "").replace(".", "")
                    .replaceFirst("^0+", "").replaceFirst("0+$", "");
            String java = new java.math.BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros()
                    .unscaledValue().toString();
            assertEquals(true, digits.length() <= java.length(), s + " is longer than " + Double.toString(d));
        }
    }
}

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

    /**
     * The % operator as Python 3.11 applies it (each expected text is Python's): widths and
     * precisions in characters, so an emoji counts once; '-', '0', '+', ' ' and '#' as Python
     * reads them for each conversion, nan and inf included.
     */
    @Test
    void percentFieldsPadAndSignAsPythonDoes() {
        List<Object[]> cases = List.of(
                new Object[] {"[%5s]", "\uD83C\uDF89", "[    \uD83C\uDF89]"},
                new Object[] {"[%-5s]", "a\uD83C\uDF89", "[a\uD83C\uDF89   ]"},
                new Object[] {"[%.1s]", "\uD83C\uDF89b", "[\uD83C\uDF89]"},
                new Object[] {"[%05s]", "ab", "[   ab]"},
                new Object[] {"[%+5s]", "ab", "[   ab]"},
                new Object[] {"[%#s]", "abcd", "[abcd]"},
                new Object[] {"[%-s]", "ab", "[ab]"},
                new Object[] {"[%08.3s]", "abcd", "[     abc]"},
                new Object[] {"[%5r]", "\uD83C\uDF89", "[  '\uD83C\uDF89']"},
                new Object[] {"[%.2r]", "abcd", "['a]"},
                new Object[] {"[%#x]", 255L, "[0xff]"},
                new Object[] {"[%#o]", 255L, "[0o377]"},
                new Object[] {"[%#X]", -255L, "[-0XFF]"},
                new Object[] {"[%+x]", 255L, "[+ff]"},
                new Object[] {"[%#5x]", 255L, "[ 0xff]"},
                new Object[] {"[%-#8o]", -255L, "[-0o377  ]"},
                new Object[] {"[%-5d]", 255L, "[255  ]"},
                new Object[] {"[%#d]", 255L, "[255]"},
                new Object[] {"[%+d]", 255L, "[+255]"},
                new Object[] {"[% d]", 7L, "[ 7]"},
                new Object[] {"[%.5d]", -3L, "[-00003]"},
                new Object[] {"[%#.5x]", 255L, "[0x000ff]"},
                new Object[] {"[%08.3d]", 7L, "[00000007]"},
                new Object[] {"[%-05d]", 3L, "[3    ]"},
                new Object[] {"[%05d]", -42L, "[-0042]"},
                new Object[] {"[%d]", new java.math.BigInteger("1180591620717411303424"), "[1180591620717411303424]"},
                new Object[] {"[%x]", new java.math.BigInteger("-1180591620717411303424"), "[-400000000000000000]"},
                new Object[] {"[%05.1f]", Double.NaN, "[00nan]"},
                new Object[] {"[%+f]", Double.POSITIVE_INFINITY, "[+inf]"},
                new Object[] {"[%-6f]", Double.NEGATIVE_INFINITY, "[-inf  ]"},
                new Object[] {"[% f]", Double.NaN, "[ nan]"},
                new Object[] {"[%+08.2e]", Double.POSITIVE_INFINITY, "[+0000inf]"},
                new Object[] {"[%6.2g]", Double.NaN, "[   nan]"},
                new Object[] {"[%F]", Double.POSITIVE_INFINITY, "[INF]"},
                new Object[] {"[%E]", Double.NaN, "[NAN]"},
                new Object[] {"[%f]", -0.0, "[-0.000000]"},
                new Object[] {"[%.2f]", -0.001, "[-0.00]"},
                new Object[] {"[%+.3f]", 3.14159, "[+3.142]"},
                new Object[] {"[%08.3f]", -3.14159, "[-003.142]"},
                new Object[] {"[%-8.2f]", 2.5, "[2.50    ]"},
                new Object[] {"[%#.0f]", 3.0, "[3.]"},
                new Object[] {"[%e]", 12345.678, "[1.234568e+04]"},
                new Object[] {"[%.2E]", -0.000123, "[-1.23E-04]"},
                new Object[] {"[%+010.3e]", 1.5, "[+1.500e+00]"},
                new Object[] {"[%#.0e]", 3.0, "[3.e+00]"},
                new Object[] {"[%g]", 1.5, "[1.5]"},
                new Object[] {"[%+g]", 1.5, "[+1.5]"},
                new Object[] {"[%08.3g]", 1.5, "[000001.5]"},
                new Object[] {"[%-8g]", -1e-07, "[-1e-07  ]"},
                new Object[] {"[%g]", 123456789.0, "[1.23457e+08]"},
                new Object[] {"[%#g]", 1.5, "[1.50000]"},
                new Object[] {"[%G]", 1e-10, "[1E-10]"},
                new Object[] {"[%g]", 0.0, "[0]"},
                new Object[] {"[%g]", -0.0, "[-0]"},
                new Object[] {"[%#g]", 0.0, "[0.00000]"},
                new Object[] {"[%10.4g]", 3.14159265, "[     3.142]"},
                new Object[] {"[%.0g]", 0.5, "[0.5]"},
                new Object[] {"[%g]", 100000.0, "[100000]"},
                new Object[] {"[%g]", 1000000.0, "[1e+06]"},
                new Object[] {"[%s|%5s|%-4s]", Tuple.of("\u00e9", "\u65e5\u672c", "\uD83C\uDF89"), "[\u00e9|   \u65e5\u672c|\uD83C\uDF89   ]"},
                new Object[] {"[%3s]", "\u00e9\u0301", "[ \u00e9\u0301]"}
        );
        for (Object[] c : cases) {
            assertEquals(c[2], PyFormat.format((String) c[0], c[1]), (String) c[0]);
        }
    }
}

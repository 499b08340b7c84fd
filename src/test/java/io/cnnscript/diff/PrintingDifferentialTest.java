package io.cnnscript.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.cnnscript.value.PyFormat;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Values;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Printing against the PyTorch oracle ({@code /usr/bin/python3} with torch 1.13): thousands of
 * seeded random tensors (float32, float64, float16, int64, int32, int8, uint8, bool; 0-d, empty,
 * small, wide rows that wrap, and large ones that are summarised with {@code ...}; values tiny,
 * huge, negative, whole, on rounding ties and on the thresholds of PyTorch's notation choice, with
 * nan, inf and -0.0) are made with the same bytes on both sides and printed; the whole texts must
 * be equal. Plain floats are compared with Python's {@code repr} the same way.
 *
 * <p>A long session: {@code mvn -B -o test -Dtest=PrintingDifferentialTest -Dprint.cases=100000
 * -Dprint.seed=N}. Without python3-torch the test is skipped loudly, except under {@code CI=true}.
 */
class PrintingDifferentialTest {

    private static final Path PYTHON = Path.of(System.getProperty("diff.python", "/usr/bin/python3"));
    private static final long SEED = Long.getLong("print.seed", 20261202L);
    private static final int CASES = Integer.getInteger("print.cases", 3000);

    private static final String[] DTYPES = {"float32", "float32", "float32", "float64", "float64", "float16",
        "int64", "int32", "int8", "uint8", "bool"};

    /** One tensor: how it was made (for the report) and the array. */
    record Made(String description, NDArray array) {}

    @Test
    void tensorsPrintAsPyTorchPrintsThem(@TempDir Path tmp) throws Exception {
        requireOracle();
        Random r = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int compared = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            List<Made> made = new ArrayList<>();
            JsonArray requests = new JsonArray();
            for (int id = 0; id < CASES; id++) {
                String dtype = DTYPES[r.nextInt(DTYPES.length)];
                long[] shape = shape(r);
                Made t = make(m, r, dtype, shape);
                made.add(t);
                JsonObject o = new JsonObject();
                o.addProperty("id", id);
                o.addProperty("kind", "tensor");
                o.addProperty("dtype", dtype);
                JsonArray s = new JsonArray();
                for (long d : shape) {
                    s.add(d);
                }
                o.add("shape", s);
                o.addProperty("hex", hex(t.array().toByteBuffer().order(ByteOrder.nativeOrder())));
                requests.add(o);
            }
            Map<Integer, String> theirs = runPython(requests, tmp);
            for (int id = 0; id < made.size(); id++) {
                String ours = Values.repr(made.get(id).array());
                String expected = theirs.get(id);
                if (!ours.equals(expected)) {
                    failures.add("--- case " + id + ": " + made.get(id).description() + "\n  cnnscript:\n"
                            + ours + "\n  PyTorch 1.13:\n" + expected);
                }
                compared++;
            }
        }
        System.out.println("PrintingDifferentialTest: seed " + SEED + ", " + compared + " tensors, "
                + failures.size() + " differ");
        if (!failures.isEmpty()) {
            fail(failures.size() + " tensor(s) print differently from PyTorch (seed " + SEED + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        }
        assertEquals(CASES, compared);
    }

    @Test
    void floatsPrintAsPythonPrintsThem(@TempDir Path tmp) throws Exception {
        requireOracle();
        Random r = new Random(SEED + 1);
        JsonArray requests = new JsonArray();
        List<Double> values = new ArrayList<>();
        for (int id = 0; id < CASES * 4; id++) {
            double d = plainFloat(r);
            values.add(d);
            JsonObject o = new JsonObject();
            o.addProperty("id", id);
            o.addProperty("kind", "float");
            o.addProperty("hex", hex(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, d)));
            requests.add(o);
        }
        Map<Integer, String> theirs = runPython(requests, tmp);
        List<String> failures = new ArrayList<>();
        for (int id = 0; id < values.size(); id++) {
            double d = values.get(id);
            String ours = PyFormat.floatRepr(d);
            if (!ours.equals(theirs.get(id))) {
                failures.add("bits " + Long.toHexString(Double.doubleToRawLongBits(d)) + ": cnnscript " + ours
                        + ", Python " + theirs.get(id));
            }
            // print() of a float and of a list holding it go through the same text.
            assertEquals(ours, Values.str(d));
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " float(s) print differently from Python (seed " + SEED + "):\n"
                    + String.join("\n", failures.subList(0, Math.min(20, failures.size()))));
        }
    }

    // ------------------------------------------------------------------ shapes

    private static long[] shape(Random r) {
        int c = r.nextInt(20);
        if (c == 0) {
            return new long[0]; // 0-d
        }
        if (c == 1) {
            // empty, with a zero somewhere
            int rank = 1 + r.nextInt(3);
            long[] s = new long[rank];
            for (int k = 0; k < rank; k++) {
                s[k] = r.nextInt(3);
            }
            s[r.nextInt(rank)] = 0;
            return s;
        }
        if (c <= 3) {
            // wide rows: wrapped at the line width
            return r.nextBoolean() ? new long[] {10 + r.nextInt(40)} : new long[] {1 + r.nextInt(3), 8 + r.nextInt(30)};
        }
        if (c <= 6) {
            // more than 1000 elements: summarised
            long[][] big = {{1001}, {1000 + r.nextInt(3000)}, {10, 101}, {7, 7, 21}, {3, 400 + r.nextInt(200)},
                {1001, 1}, {2, 3, 200}, {40, 30}, {5, 5, 5, 9}, {6, 200}, {4, 4, 70}};
            return big[r.nextInt(big.length)];
        }
        int rank = 1 + r.nextInt(4);
        long[] s = new long[rank];
        for (int k = 0; k < rank; k++) {
            s[k] = 1 + r.nextInt(rank > 2 ? 3 : 6);
        }
        return s;
    }

    // ------------------------------------------------------------------ values

    private static Made make(NDManager m, Random r, String dtype, long[] shape) {
        int n = (int) new Shape(shape).size();
        Shape s = new Shape(shape);
        switch (dtype) {
            case "float32":
            case "float64":
            case "float16": {
                int profile = r.nextInt(PROFILES);
                double specials = r.nextInt(4) == 0 ? 0.15 : 0;
                double[] d = new double[n];
                for (int i = 0; i < n; i++) {
                    d[i] = r.nextDouble() < specials ? special(r) : value(r, profile, dtype.equals("float64"));
                }
                String what = dtype + " " + TensorFormat.shape(s) + " profile " + profile
                        + (specials > 0 ? " with nan/inf/zeros" : "");
                if (dtype.equals("float64")) {
                    return new Made(what, m.create(d, s));
                }
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) d[i];
                }
                NDArray a = m.create(f, s);
                return new Made(what, dtype.equals("float16") ? a.toType(DataType.FLOAT16, false) : a);
            }
            case "int64": {
                long[] v = new long[n];
                int scale = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    v[i] = scale == 3 ? pickLong(r) : (long) ((r.nextDouble() * 2 - 1) * Math.pow(10, 1 + scale * 4));
                }
                return new Made(dtype + " " + TensorFormat.shape(s), m.create(v, s));
            }
            case "int32": {
                int[] v = new int[n];
                boolean full = r.nextBoolean();
                for (int i = 0; i < n; i++) {
                    v[i] = full ? (r.nextInt(10) == 0 ? Integer.MIN_VALUE : r.nextInt()) : r.nextInt(21) - 10;
                }
                return new Made(dtype + " " + TensorFormat.shape(s), m.create(v, s));
            }
            case "int8":
            case "uint8": {
                byte[] v = new byte[n];
                r.nextBytes(v);
                ByteBuffer bb = ByteBuffer.allocateDirect(n).order(ByteOrder.nativeOrder());
                bb.put(v).rewind();
                return new Made(dtype + " " + TensorFormat.shape(s),
                        m.create(bb, s, dtype.equals("int8") ? DataType.INT8 : DataType.UINT8));
            }
            default: {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = r.nextBoolean();
                }
                return new Made(dtype + " " + TensorFormat.shape(s), m.create(v, s));
            }
        }
    }

    private static final int PROFILES = 9;

    /** One nonzero-ish value of the profile: each one aims at a different part of PyTorch's choice. */
    private static double value(Random r, int profile, boolean f64) {
        double sign = r.nextInt(3) == 0 ? -1 : 1;
        switch (profile) {
            case 0: // magnitudes within about 1000x of each other: fixed or scientific
                return sign * Math.pow(10, -3 + r.nextDouble() * 3);
            case 1: // anywhere in the range of float32 (and beyond, for float64)
                return sign * Math.pow(10, f64 ? r.nextDouble() * 600 - 300 : r.nextDouble() * 80 - 45);
            case 2: // tiny, down to the subnormals
                return sign * Math.pow(10, -4 - r.nextDouble() * (f64 ? 320 : 42));
            case 3: // whole numbers, small to huge
                return sign * Math.floor(Math.pow(10, r.nextDouble() * (r.nextBoolean() ? 4 : 12)));
            case 4: // odd multiples of 1/32: exact ties at four decimals and at five significant digits
                return sign * (2 * r.nextInt(4000) + 1) / 32.0 * (r.nextBoolean() ? 1 : Math.scalb(1.0, r.nextInt(9) - 4));
            case 5: // whole numbers with six significant digits ending in 5: ties in e-notation
                return sign * ((10000 + r.nextInt(90000)) * 10 + 5) * Math.pow(10, r.nextInt(8));
            case 6: { // the thresholds: 1e-4, 1e8, a ratio of 1000
                double[] edges = {1e-4, 1e8, 1000, 1e-3, 1, 0.1, 1e-1 / 1000, 99999999, 100000001, 1e5, 1e-5};
                double e = edges[r.nextInt(edges.length)];
                int k = r.nextInt(5);
                double v = k == 0 ? Math.nextUp(e) : k == 1 ? Math.nextDown(e) : k == 2 ? (float) e : e;
                if (k == 3) {
                    v = Math.nextUp((float) e);
                } else if (k == 4) {
                    v = Math.nextDown((float) e);
                }
                return sign * v;
            }
            case 7: { // rounding carries: 9.99995 becomes 10.0000, 9.99995e-05 becomes 1.0000e-04
                double[] carries = {9.99995, 0.99995, 9.999949999, 99999.5, 9.99995e-5, 0.000099995, 999.99995,
                    1.00005, 2.5, 0.00015, 0.00025, 0.5, 1.5};
                return sign * carries[r.nextInt(carries.length)] * Math.pow(10, r.nextInt(3) == 0 ? r.nextInt(11) - 5 : 0);
            }
            default: // like randn
                return r.nextGaussian() * Math.pow(10, r.nextInt(3) - 1);
        }
    }

    private static double special(Random r) {
        double[] s = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0};
        return s[r.nextInt(s.length)];
    }

    private static long pickLong(Random r) {
        long[] edges = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1L << 53, -(1L << 53) - 1};
        return r.nextInt(5) == 0 ? edges[r.nextInt(edges.length)] : r.nextLong();
    }

    /** A double for repr: random bits, decimal-looking values, and the edges of e-notation. */
    private static double plainFloat(Random r) {
        switch (r.nextInt(6)) {
            case 0:
                return Double.longBitsToDouble(r.nextLong());
            case 1: {
                double[] edges = {1e16, 1e-4, 1e-5, 1e15, 9999999999999998.0, 0.0001, 0.00009999999999999999,
                    Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 0.0, -0.0, Double.NaN,
                    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.1 + 0.2, 1e22, 1e23, 5e-324};
                double e = edges[r.nextInt(edges.length)];
                int k = r.nextInt(3);
                return k == 0 ? e : k == 1 ? Math.nextUp(e) : Math.nextDown(e);
            }
            case 2: // short decimals at any scale
                return (r.nextInt(2_000_001) - 1_000_000) * Math.pow(10, r.nextInt(50) - 25);
            case 3: // float32 values widened, as .item() of a float32 tensor gives
                return (double) Float.intBitsToFloat(r.nextInt());
            case 4:
                return r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
            default:
                return (r.nextInt(1 << 20) - (1 << 19)) / (double) (1L << r.nextInt(60));
        }
    }

    // ------------------------------------------------------------------ the oracle

    private static String hex(ByteBuffer b) {
        StringBuilder sb = new StringBuilder(b.remaining() * 2);
        for (int i = b.position(); i < b.limit(); i++) {
            int v = b.get(i) & 0xff;
            sb.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 15, 16));
        }
        return sb.toString();
    }

    private static Map<Integer, String> runPython(JsonArray requests, Path tmp) throws IOException, InterruptedException,
            URISyntaxException {
        Path runner = Path.of(PrintingDifferentialTest.class.getResource("/diff/print_runner.py").toURI());
        Path in = tmp.resolve("requests.jsonl");
        Gson gson = new Gson();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < requests.size(); i++) {
            b.append(gson.toJson(requests.get(i))).append('\n');
        }
        Files.writeString(in, b, StandardCharsets.UTF_8);
        Path out = tmp.resolve("answers.jsonl");
        Process p = new ProcessBuilder(PYTHON.toString(), runner.toString()).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(tmp.resolve("stderr.txt").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the Python printer failed: " + Files.readString(tmp.resolve("stderr.txt")));
        }
        Map<Integer, String> answers = new HashMap<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            JsonObject o = gson.fromJson(line, JsonObject.class);
            answers.put(o.get("id").getAsInt(), o.get("text").getAsString());
        }
        assertTrue(answers.size() == requests.size(), "the Python printer answered " + answers.size() + " of "
                + requests.size());
        return answers;
    }

    private static void requireOracle() throws InterruptedException {
        boolean ok;
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            ok = p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        }
        if (!ok) {
            String message = "\n*** PrintingDifferentialTest: " + PYTHON + " with torch (Debian's python3-torch) is"
                    + " missing; the PyTorch oracle did NOT run. apt-get install python3-torch ***\n";
            System.err.println(message);
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "CI=true: the oracle must run in CI.");
            }
            Assumptions.assumeTrue(false, message);
        }
    }
}

package io.cnnscript.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Builtin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PyTorch oracle: random programs over every documented built-in, operator, method and
 * layer (see {@link Programs}) run in cnnscript and, translated, in PyTorch 1.13
 * ({@code /usr/bin/python3} with Debian's python3-torch, one process for all cases). Each case's
 * printed output (values, dtypes, shapes, gradients) and whether it raised must agree. The
 * differences allowed come from the engines' kernels rounding differently (libtorch 2.7.1 against
 * 1.13): one unit in the last printed digit, the sign of a zero, and in e-notation the float32
 * rounding at the scale of the tensor ({@link #roundingAllowances}).
 *
 * <p>Divergences that are being fixed are listed in {@link #KNOWN}, each with the issue item that
 * fixes it; they are counted and reported, not failed. Delete an entry when it is fixed.
 *
 * <p>The suite runs a fixed seed; a long session is
 * {@code mvn -B -o test -Dtest=DifferentialTest -Ddiff.cases=50000 -Ddiff.seed=N}
 * ({@code -Ddiff.showUlp=true} also lists the cases that differ in the allowed ways;
 * {@code -Ddiff.topics=REGEX} keeps only the topics it matches). Without
 * python3-torch the test is skipped loudly, except under {@code CI=true}, where it fails.
 */
class DifferentialTest {

    private static final Path PYTHON = Path.of(System.getProperty("diff.python", "/usr/bin/python3"));
    private static final long SEED = Long.getLong("diff.seed", 20261201L);
    private static final int CASES = Integer.getInteger("diff.cases", 2400);

    /**
     * A divergence being fixed: the issue item that fixes it, the generator topics it shows in
     * and a pattern of the cases' source.
     */
    record Known(String tag, Pattern topic, Pattern source) {
        Known(String tag, String topics, String regex) {
            this(tag, Pattern.compile(topics), Pattern.compile(regex, Pattern.DOTALL));
        }
    }

    /**
     * Known divergences, each tagged with the issue item that removes it and a pattern as narrow
     * as the cases it covers (a loose one hides real divergences). Emptied when issue 10 was
     * finished: a new divergence is fixed, or listed here with its issue, not left failing.
     */
    static final List<Known> KNOWN = List.of(
            // Found with seeds 7 and 99 at 20,000 cases and at the suite's seed once the requires_grad topics
            // moved the cases; not fixed yet (no issue item), listed as narrowly as the cases go.
            new Known("uint8 from a negative float or 1e3: PyTorch raises 'value cannot be converted to type uint8 "
                    + "without overflow', cnnscript converts", "as_tensor|full", "(-\\d+\\.\\d+|1e3), dtype=\"uint8\""),
            // Found at the suite's seed once the Python built-in topics moved the cases (pysem).
            new Known("the gradient of std() of equal values: PyTorch 1.13 gives 0 (std_backward masks a zero std), "
                    + "cnnscript nan", "X\\.std", "w = param\\(tensor\\[(-?[\\d.]+), \\1(, \\1)?\\]\\)\nbackward\\(w\\.std\\(\\)\\)"));

    record Case(int id, String topic, String cnn) {}

    /** What a case printed, the error it stopped with (or null), its warnings ("UserWarning: text") and time. */
    record Outcome(String out, String error, List<String> warnings, double millis) {
        Outcome(String out, String error) {
            this(out, error, List.of(), 0);
        }
    }

    @Test
    void onlyTheLastDigitAndTheSignOfZeroMayDiffer() {
        assertEquals("one-ulp", compare(new Outcome("tensor([0.1235, 2.0000])\n", null), new Outcome("tensor([0.1234, 2.0000])\n", null)));
        assertEquals("one-ulp", compare(new Outcome("tensor([[-0.,  1.]])\n", null), new Outcome("tensor([[ 0.,  1.]])\n", null)));
        assertEquals("one-ulp", compare(new Outcome("tensor([0.1239])\n", null), new Outcome("tensor([0.1240])\n", null)));
        assertEquals("divergent", compare(new Outcome("tensor([0.1236])\n", null), new Outcome("tensor([0.1234])\n", null)));
        assertEquals("divergent", compare(new Outcome("tensor([3])\n", null), new Outcome("tensor([4])\n", null)));
        assertEquals("divergent", compare(new Outcome("tensor([1.])\n", null), new Outcome("", "RuntimeError: x")));
        assertEquals("both raise", compare(new Outcome("", "t.cnn:1:1: no"), new Outcome("", "RuntimeError: x")));
        assertEquals("equal", compare(new Outcome("(2, 3)\n", null), new Outcome("(2, 3)\n", null)));
        assertEquals("tensor([[1, 2]]) + x[0]", toPython("tensor[[1, 2]] + x[0]"));
    }

    /**
     * In e-notation a float32 element may differ by 4 units of float32 precision at the largest
     * magnitude of its tensor (the engines' rounding, seen near zero); no more, and not in float64
     * tensors, ints or numbers outside tensors. The first two are seeds 7's cases 7637 and 19720
     * with 20,000 cases, a convolution's output and an SGD step.
     */
    @Test
    void eNotationMayDifferByTheRoundingAtTheTensorsScale() {
        String conv = "tensor([[ 1.0661e+00, -1.7768e-01,  3.2754e+00],\n        [%s,  2.6042e+00, -3.2235e-02]])\n";
        assertEquals("one-ulp", compare(new Outcome(conv.formatted("-8.2880e-05"), null), new Outcome(conv.formatted("-8.2925e-05"), null)));
        String sgd = "tensor([[-4.8406e-01, -4.3061e-01],\n        [ 8.8927e-01, %s]], requires_grad=True) tensor([-0.3762,  0.3792])\n";
        assertEquals("one-ulp", compare(new Outcome(sgd.formatted("-7.5263e-04"), null), new Outcome(sgd.formatted("-7.5261e-04"), null)));
        // seed 99's case 2874, a BatchNorm input gradient: 2.8 units of float32 precision at 0.7955
        String bn = "tensor([[-6.8073e-01, %s, -5.1017e-02],\n        [ 3.2418e-02,  7.9550e-01,  4.5915e-01]])\n";
        assertEquals("one-ulp", compare(new Outcome(bn.formatted("-4.1673e-06"), null), new Outcome(bn.formatted("-4.3359e-06"), null)));
        // 1e-6 is more than 4 units of float32 precision at 3.2754 (9.5e-7)
        assertEquals("divergent", compare(new Outcome(conv.formatted("-8.2880e-05"), null), new Outcome(conv.formatted("-8.3880e-05"), null)));
        String f64 = "tensor([ 3.2754e+00, %s], dtype=torch.float64)\n";
        assertEquals("divergent", compare(new Outcome(f64.formatted("-8.2880e-05"), null), new Outcome(f64.formatted("-8.2925e-05"), null)));
        String small = "tensor([ 3.2754e-04, %s])\n";
        assertEquals("divergent", compare(new Outcome(small.formatted("-8.2880e-05"), null), new Outcome(small.formatted("-8.2925e-05"), null)));
        assertEquals("divergent", compare(new Outcome("3.2754e+00 -8.2880e-05\n", null), new Outcome("3.2754e+00 -8.2925e-05\n", null)));
        assertEquals("divergent", compare(new Outcome("tensor(-8.2880e-05)\n", null), new Outcome("tensor(-8.2925e-05)\n", null)));
        assertEquals("divergent", compare(new Outcome("tensor([3.0000e+00, 1.0000e-05]) 1.5e-05\n", null),
                new Outcome("tensor([3.0000e+00, 1.0000e-05]) 1.7e-05\n", null)));
    }

    @Test
    void everyDocumentedBuiltinHasAGenerator() {
        List<String> missing = new ArrayList<>();
        for (Builtin b : Interpreter.standardLibrary().documented()) {
            String key = key(b);
            if (!Programs.ALL.containsKey(key) && !Programs.COVERED_BY.containsKey(key)
                    && !Programs.NO_PYTORCH_EQUIVALENT.containsKey(key)) {
                missing.add(key);
            }
        }
        assertEquals(List.of(), missing, "built-ins in docs/BUILTINS.md without a differential generator in Programs");
    }

    static String key(Builtin b) {
        return switch (b.family()) {
            case "tensor methods" -> "X." + b.name();
            case "list methods" -> "list." + b.name();
            case "string methods" -> "string." + b.name();
            default -> b.name();
        };
    }

    @Test
    void cnnscriptAgreesWithPyTorch(@TempDir Path tmp) throws Exception {
        if (!pythonWithTorch()) {
            String message = "\n*** DifferentialTest: " + PYTHON + " with torch (Debian's python3-torch) is missing;"
                    + " the PyTorch oracle did NOT run. apt-get install python3-torch ***\n";
            System.err.println(message);
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "CI=true: the oracle must run in CI.");
            }
            Assumptions.assumeTrue(false, message);
        }
        List<Case> cases = generate(new Random(SEED), CASES);
        long start = System.nanoTime();
        long[] torchMillis = {0};
        CompletableFuture<Map<Integer, Outcome>> torch = CompletableFuture.supplyAsync(() -> {
            Map<Integer, Outcome> answers = runPython(cases, tmp);
            torchMillis[0] = (System.nanoTime() - start) / 1_000_000;
            return answers;
        });
        Map<Integer, Outcome> ours = runCnn(cases, tmp);
        long cnnMillis = (System.nanoTime() - start) / 1_000_000;
        Map<Integer, Outcome> theirs = torch.get(10, TimeUnit.MINUTES);

        Map<String, Integer> counts = new TreeMap<>();
        Map<String, Integer> knownCounts = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, String> knownExample = new HashMap<>();
        for (Case c : cases) {
            Outcome a = ours.get(c.id());
            Outcome b = theirs.get(c.id());
            String verdict = compare(a, b);
            if (!verdict.equals("divergent") && Programs.WARNINGS_COMPARED.contains(c.topic())
                    && !a.warnings().equals(b.warnings())) {
                verdict = "divergent";
            }
            if (verdict.equals("divergent")) {
                Known k = known(c);
                if (k != null) {
                    verdict = "known";
                    knownCounts.merge(k.tag(), 1, Integer::sum);
                    knownExample.putIfAbsent(k.tag(), report(c, a, b));
                } else {
                    failures.add(report(c, a, b));
                }
            }
            counts.merge(verdict, 1, Integer::sum);
            if (verdict.equals("one-ulp") && Boolean.getBoolean("diff.showUlp")) {
                System.out.println("ULP " + report(c, a, b));
            }
        }
        StringBuilder summary = new StringBuilder("DifferentialTest: seed " + SEED + ", " + cases.size() + " cases in "
                + (System.nanoTime() - start) / 1_000_000 + " ms (cnnscript " + cnnMillis + " ms, PyTorch " + torchMillis[0] + " ms): ");
        for (String v : List.of("equal", "both raise", "one-ulp", "known", "divergent")) {
            summary.append(v).append(' ').append(counts.getOrDefault(v, 0)).append("  ");
        }
        System.out.println(summary);
        knownCounts.forEach((tag, n) -> System.out.println("  known " + tag + ": " + n + "\n" + indent(knownExample.get(tag))));
        if (Boolean.getBoolean("diff.profile")) {
            Map<String, double[]> byTopic = new TreeMap<>();
            for (Case c : cases) {
                double[] t = byTopic.computeIfAbsent(c.topic(), k -> new double[2]);
                t[0] += ours.get(c.id()).millis();
                t[1] += theirs.get(c.id()).millis();
            }
            byTopic.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0] + y.getValue()[1], x.getValue()[0] + x.getValue()[1]))
                    .limit(25).forEach(e -> System.out.printf("  %-22s cnnscript %7.0f ms  PyTorch %7.0f ms%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        String reportFile = System.getProperty("diff.report");
        if (reportFile != null) {
            Files.writeString(Path.of(reportFile), String.join("\n", failures), StandardCharsets.UTF_8);
        }
        if (!failures.isEmpty()) {
            StringBuilder b = new StringBuilder(failures.size() + " case(s) diverge from PyTorch (seed " + SEED + "):\n");
            failures.stream().limit(25).forEach(f -> b.append(f).append('\n'));
            fail(b.toString());
        }
        assertTrue(cases.size() >= Math.min(CASES, 2000) || System.getProperty("diff.topics") != null);
    }

    // ------------------------------------------------------------------ generating

    static List<Case> generate(Random random, int n) {
        Gen g = new Gen(random);
        List<Map.Entry<String, Function<Gen, String>>> topics = new ArrayList<>(Programs.ALL.entrySet());
        // -Ddiff.topics=REGEX runs only the topics it matches (a targeted run: -Ddiff.topics='CrossEntropy|MSE|L1').
        Pattern only = Pattern.compile(System.getProperty("diff.topics", ".*"));
        topics.removeIf(t -> !only.matcher(t.getKey()).matches());
        List<Case> cases = new ArrayList<>();
        for (int id = 0; id < n; id++) {
            Map.Entry<String, Function<Gen, String>> t = topics.get(id % topics.size());
            cases.add(new Case(id, t.getKey(), t.getValue().apply(g)));
        }
        return cases;
    }

    /** cnnscript to Python over prelude.py: tensor literals become calls; everything else is shared syntax. */
    static String toPython(String cnn) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < cnn.length()) {
            int at = cnn.indexOf("tensor[", i);
            if (at < 0 || (at > 0 && Character.isJavaIdentifierPart(cnn.charAt(at - 1)))) {
                if (at < 0) {
                    b.append(cnn, i, cnn.length());
                    break;
                }
                b.append(cnn, i, at + 7);
                i = at + 7;
                continue;
            }
            b.append(cnn, i, at).append("tensor([");
            int depth = 1;
            int j = at + 7;
            while (j < cnn.length() && depth > 0) {
                char ch = cnn.charAt(j);
                depth += ch == '[' ? 1 : ch == ']' ? -1 : 0;
                j++;
            }
            b.append(cnn, at + 7, j).append(')');
            i = j;
        }
        return b.toString();
    }

    private static String withPath(String code, Path tmp, String side, int id) {
        return code.replace("PATH", "\"" + tmp.resolve(side + id + ".params") + "\"");
    }

    // ------------------------------------------------------------------ running

    static Map<Integer, Outcome> runCnn(List<Case> cases, Path tmp) {
        Map<Integer, Outcome> results = new HashMap<>();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true), new PrintWriter(err, true))) {
            in.setTimeoutNanos(TimeUnit.SECONDS.toNanos(20));
            in.setPathPolicy(Interpreter.PathPolicy.ANY);
            for (Case c : cases) {
                out.getBuffer().setLength(0);
                err.getBuffer().setLength(0);
                String error = null;
                long t0 = System.nanoTime();
                try {
                    in.reset();
                    in.eval(withPath(c.cnn(), tmp, "c", c.id()), "case.cnn", false);
                } catch (CnnException e) {
                    error = e.getMessage();
                } catch (RuntimeException | Error e) {
                    error = "JAVA " + e;
                }
                in.sweep();
                List<String> warnings = new ArrayList<>();
                Matcher w = WARNING.matcher(err.toString());
                while (w.find()) {
                    warnings.add(w.group(1));
                }
                results.put(c.id(), new Outcome(out.toString(), error, warnings, (System.nanoTime() - t0) / 1e6));
            }
        }
        return results;
    }

    static Map<Integer, Outcome> runPython(List<Case> cases, Path tmp) {
        try {
            Path runner = Path.of(DifferentialTest.class.getResource("/diff/runner.py").toURI());
            JsonArray list = new JsonArray();
            for (Case c : cases) {
                JsonObject o = new JsonObject();
                o.addProperty("id", Integer.toString(c.id()));
                o.addProperty("code", withPath(toPython(c.cnn()), tmp, "p", c.id()));
                list.add(o);
            }
            JsonObject request = new JsonObject();
            request.add("cases", list);
            Process p = new ProcessBuilder(PYTHON.toString(), runner.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (OutputStream os = p.getOutputStream()) {
                    os.write(new Gson().toJson(request).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Map<Integer, Outcome> results = new HashMap<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                Gson gson = new Gson();
                for (String line; (line = r.readLine()) != null; ) {
                    JsonObject o = gson.fromJson(line, JsonObject.class);
                    String error = o.get("error").isJsonNull() ? null : o.get("error").getAsString();
                    List<String> warnings = new ArrayList<>();
                    o.getAsJsonArray("warnings").forEach(x -> warnings.add(x.getAsString()));
                    results.put(Integer.parseInt(o.get("id").getAsString()), new Outcome(o.get("out").getAsString(), error, warnings,
                            o.get("ms").getAsDouble()));
                }
            }
            writer.join();
            if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0 || results.size() != cases.size()) {
                throw new IllegalStateException("the Python runner stopped early: " + results.size() + " of " + cases.size() + " answers");
            }
            return results;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean pythonWithTorch() {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    // ------------------------------------------------------------------ comparing

    /** A warning as cnnscript shows it: its place, then "UserWarning: text". */
    private static final Pattern WARNING = Pattern.compile("(?m)^case\\.cnn:\\d+:\\d+: (\\w+Warning: .*)$");

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d*)?(e[+-]?\\d+)?");

    /** equal, both raise, one-ulp (or a zero's sign, from the engines' kernels) or divergent. */
    static String compare(Outcome a, Outcome b) {
        if (a.error() != null && (a.error().startsWith("JAVA ") || a.error().contains("internal error"))) {
            return "divergent";
        }
        if ((a.error() == null) != (b.error() == null)) {
            return "divergent";
        }
        String verdict = a.error() == null ? "equal" : "both raise";
        if (a.out().equals(b.out())) {
            return verdict;
        }
        return oneUlpApart(a.out(), b.out()) ? "one-ulp" : "divergent";
    }

    /**
     * The texts differ only in numbers that are one unit apart in their last printed digit, or
     * in the sign of a zero (libtorch 2.7.1's matmul gives -0. where 1.13's BLAS call gives 0.),
     * or, in e-notation, by the engines' rounding at the scale of their tensor (see
     * {@link #roundingAllowances}).
     */
    static boolean oneUlpApart(String x, String y) {
        Matcher m = NUMBER.matcher(x);
        Matcher n = NUMBER.matcher(y);
        double[] allowX = roundingAllowances(x);
        double[] allowY = roundingAllowances(y);
        int k = 0;
        int i = 0;
        int j = 0;
        boolean any = false;
        while (true) {
            boolean fm = m.find();
            boolean fn = n.find();
            if (fm != fn) {
                return false;
            }
            if (!fm) {
                return x.substring(i).replace(" ", "").equals(y.substring(j).replace(" ", "")) && any;
            }
            // Column padding follows the numbers' widths, so a sign or a digit more may move it.
            if (!x.substring(i, m.start()).replace(" ", "").equals(y.substring(j, n.start()).replace(" ", ""))) {
                return false;
            }
            String a = m.group();
            String b = n.group();
            boolean signedZero = a.replace("-", "").equals(b.replace("-", "")) && a.matches("-?[0.]+(e[+-]?\\d+)?");
            if (!a.equals(b) && !signedZero) {
                boolean scaled = a.contains("e") && b.contains("e")
                        && Math.abs(Double.parseDouble(a) - Double.parseDouble(b)) <= Math.min(allowX[k], allowY[k]);
                if (!oneUnitApart(a, b) && !scaled) {
                    return false;
                }
            }
            if (!a.equals(b)) {
                any = true;
            }
            i = m.end();
            j = n.end();
            k++;
        }
    }

    /**
     * For each number {@link #NUMBER} finds in the text, in order: how far the two engines may
     * place it when it is an element of a float tensor, 0 for any other number. Floats are
     * rounded to float32 after each operation, so an element computed as a small difference of
     * larger terms (a convolution's output near zero, a weight after an update) carries the
     * rounding error of those terms, up to units of float32 precision at their magnitude, and
     * libtorch 2.7.1 and 1.13 sum in different orders. In fixed notation that error is far below
     * the fourth decimal; in e-notation, which shows five significant digits of a value 10,000
     * times smaller than the largest, it shows (-8.2880e-05 against -8.2925e-05 where the float64
     * value is -8.2895e-05). The allowance is 4 units of float32 precision (float64's for a
     * float64 tensor) at the largest magnitude printed in the element's tensor.
     */
    static double[] roundingAllowances(String text) {
        List<Double> allowances = new ArrayList<>();
        Matcher m = NUMBER.matcher(text);
        int tensorStart = -1;
        int dataEnd = -1;
        double allowance = 0;
        while (m.find()) {
            if (m.start() >= dataEnd) {
                tensorStart = text.lastIndexOf("tensor(", m.start());
                allowance = 0;
                dataEnd = -1;
                if (tensorStart >= 0) {
                    int end = closing(text, tensorStart + "tensor".length());
                    String inside = text.substring(tensorStart, end);
                    boolean nested = text.startsWith("tensor([", tensorStart);
                    int data = nested ? tensorStart + inside.lastIndexOf(']') + 1 : tensorStart + firstOf(inside, ',', ')');
                    if (m.start() < data && data <= end) {
                        dataEnd = data;
                        double max = 0;
                        Matcher e = NUMBER.matcher(text.substring(tensorStart + "tensor(".length(), data));
                        while (e.find()) {
                            double v = Math.abs(Double.parseDouble(e.group()));
                            if (Double.isFinite(v)) {
                                max = Math.max(max, v);
                            }
                        }
                        allowance = 4 * (inside.contains("dtype=torch.float64") ? Math.ulp(max) : Math.ulp((float) max));
                    }
                }
            }
            allowances.add(m.start() < dataEnd ? allowance : 0.0);
        }
        return allowances.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The index just after the parenthesis that closes the one at {@code open}. */
    private static int closing(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth == 0) {
                return i + 1;
            }
        }
        return text.length();
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static boolean oneUnitApart(String a, String b) {
        if (!a.matches(".*[.e].*") || !b.matches(".*[.e].*")) {
            return false; // ints are exact
        }
        if (a.length() != b.length() && Math.abs(a.length() - b.length()) != 1) {
            return false;
        }
        String da = a.replaceAll("[.]", "");
        String db = b.replaceAll("[.]", "");
        if (a.indexOf('e') >= 0 || b.indexOf('e') >= 0) {
            String ea = a.indexOf('e') >= 0 ? a.substring(a.indexOf('e')) : "";
            String eb = b.indexOf('e') >= 0 ? b.substring(b.indexOf('e')) : "";
            if (!ea.equals(eb)) {
                return false;
            }
            da = da.replaceAll("e.*", "");
            db = db.replaceAll("e.*", "");
        }
        int pa = a.indexOf('.') < 0 ? -1 : a.replaceAll("e.*", "").length() - a.indexOf('.');
        int pb = b.indexOf('.') < 0 ? -1 : b.replaceAll("e.*", "").length() - b.indexOf('.');
        if (pa != pb) {
            return false;
        }
        try {
            if (new java.math.BigInteger(da).subtract(new java.math.BigInteger(db)).abs().compareTo(java.math.BigInteger.ONE) > 0) {
                return false;
            }
        } catch (NumberFormatException e) {
            return false;
        }
        return true;
    }

    private static Known known(Case c) {
        for (Known k : KNOWN) {
            if (k.topic().matcher(c.topic()).matches() && k.source().matcher(c.cnn()).find()) {
                return k;
            }
        }
        return null;
    }

    private static String report(Case c, Outcome a, Outcome b) {
        return "--- case " + c.id() + " (" + c.topic() + ")\n" + indent(c.cnn()) + "\n  cnnscript:\n" + indent(show(a)) + "\n  PyTorch 1.13:\n"
                + indent(show(b));
    }

    private static String show(Outcome o) {
        return o.out() + (o.error() == null ? "" : "RAISES " + o.error())
                + (o.warnings().isEmpty() ? "" : "\nWARNS " + String.join("\nWARNS ", o.warnings()));
    }

    private static String indent(String s) {
        return s == null ? "" : "    " + s.strip().replace("\n", "\n    ");
    }
}

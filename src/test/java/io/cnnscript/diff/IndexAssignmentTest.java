package io.cnnscript.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing into a part of a tensor, checked against PyTorch 1.13 itself: each line of
 * {@link #CASES} is a program run by cnnscript and, translated, by {@code /usr/bin/python3} with
 * torch (through {@link DifferentialTest}'s runner and prelude). The table covers every path of
 * {@code X[i] = v}: basic indexing (ints, slices, {@code ...}, {@code none}, a 0-d int tensor),
 * which copies the value in and casts it; advanced indexing (lists and int tensors, alone or
 * mixed with the others), whose index_put_ needs a tensor value of X's dtype; bool masks, which
 * fill with a one-element value of any dtype; a number or bool value, converted to X's dtype
 * with PyTorch's overflow checks; and augmented assignment, which changes the part read in
 * place (so the result type must cast to X's) and writes it back. What the two print must be
 * the same text; where PyTorch raises, cnnscript raises at a place (file:line:col) with
 * PyTorch's message (a Python type name in it read as cnnscript names the type).
 * Without python3-torch the test is skipped loudly, except under {@code CI=true}.
 */
class IndexAssignmentTest {

    /** One program per line; {@code \\n} inside a line separates its statements. */
    static final String CASES = """
            X = tensor[3]\\nX[[-1]] = tensor[-5.0]\\nprint(X)
            X = tensor[3]\\nX[[-1]] = as_tensor(-5.0)\\nprint(X)
            X = tensor[3]\\nX[[-1]] = -5.7\\nprint(X)
            X = tensor[3]\\nX[[-1]] = true\\nprint(X)
            X = tensor[3.0]\\nX[[0]] = tensor[2]\\nprint(X)
            X = tensor[3.0]\\nX[[0]] = tensor[2.0].double()\\nprint(X)
            X = tensor[3.0, 4.0]\\nX[[1]] = tensor[2.5]\\nprint(X)
            X = tensor[true, false]\\nX[[0]] = as_tensor(5)\\nprint(X)
            X = tensor[true, false]\\nX[[1]] = 5\\nprint(X)
            X = tensor[1, 2]\\nX[[0]] = tensor[true]\\nprint(X)
            X = tensor[1, 2]\\nX[[0]] = tensor[7].int()\\nprint(X)
            X = zeros(3).long()\\nX[tensor[0, 2]] = tensor[2.0, 3.0]\\nprint(X)
            X = zeros(3).long()\\nX[tensor[0, 2]] = tensor[2, 3]\\nprint(X)
            X = zeros(2, 3)\\nX[[0, 1]] = ones(3)\\nprint(X)
            X = zeros(2, 3)\\nX[[0, 1]] = ones(2)\\nprint(X)
            X = zeros(2, 3)\\nX[[0, 1]] = ones(2).long()\\nprint(X)
            X = zeros(2, 3)\\nX[0, [1]] = ones(1).long()\\nprint(X)
            X = zeros(2, 3)\\nX[[0], 1:] = ones(2).long()\\nprint(X)
            X = zeros(2, 3)\\nX[[0], 1:] = ones(3)\\nprint(X)
            X = zeros(2, 3)\\nX[[1], 1:] = ones(1, 1, 2) * 4\\nprint(X)
            X = zeros(3)\\nX[..., [0]] = ones(1).long()\\nprint(X)
            X = zeros(3)\\nX[none, [0]] = ones(1).double()\\nprint(X)
            X = zeros(3)\\nX[none, [2]] = ones(1) * 3\\nprint(X)
            X = zeros(3)\\nX[[5]] = 1\\nprint(X)
            X = zeros(3).long()\\nX[[5]] = tensor[1.0]\\nprint(X)
            X = zeros(3)\\nX[[0.5]] = 1\\nprint(X)
            X = arange(5).float()\\nX[[1.7, -1.5]] = tensor[9.0, 8.0]\\nprint(X, X[[0.5, 2.9]], X[[true, 1]])
            X = zeros(3)\\nX[[0]] += true\\nX[1:] -= false\\nprint(X)
            X = zeros(2, 3)\\nX[X > -1] = arange(6).float()\\nprint(X)
            X = zeros(2, 3)\\nX[X > -1] = arange(6)\\nprint(X)
            X = zeros(2, 3)\\nX[X > -1] = arange(5).float()\\nprint(X)
            X = zeros(2, 3).long()\\nX[X > -1] = 2.5\\nprint(X)
            X = zeros(2, 3).long()\\nX[X > -1] = as_tensor(2.5)\\nprint(X)
            X = zeros(2, 3).long()\\nX[X > -1] = tensor[-2.5]\\nprint(X)
            X = zeros(2, 3)\\nX[:, tensor[true, false, true]] = tensor[7]\\nprint(X)
            X = zeros(2, 3)\\nX[:, tensor[true, false, true]] = tensor[7, 8]\\nprint(X)
            X = zeros(2, 3)\\nX[:, tensor[true, false, true]] = tensor[7.0, 8.0]\\nprint(X)
            X = zeros(2, 3)\\nX[tensor[true, false]] = tensor[[1, 2, 3]]\\nprint(X)
            X = zeros(2, 3)\\nX[[true, false]] = tensor[[1.0, 2.0, 3.0]]\\nprint(X)
            X = zeros(3)\\nX[tensor[true, false, true]] = tensor[1.0, 2.0].double()\\nprint(X)
            X = tensor[1, 2, 3]\\nX[X > 1] = tensor[true]\\nprint(X)
            X = tensor[1, 2, 3]\\nX[X > 1] = as_tensor(9.75).double()\\nprint(X)
            X = zeros(2, 2)\\nX[X == 0] = tensor[[5]]\\nprint(X)
            X = zeros(3)\\nX[tensor[true, false]] = 1\\nprint(X)
            X = zeros(3)\\nX[true] = tensor[5]\\nprint(X)
            X = zeros(3)\\nX[true] = tensor[5, 6, 7]\\nprint(X)
            X = zeros(3)\\nX[false] = tensor[5]\\nprint(X)
            X = zeros(3)\\nX[true, 1] = tensor[5]\\nprint(X)
            X = zeros(3)\\nX[true, 1] = 5\\nX[false, 2] = tensor[5]\\nprint(X)
            X = zeros(3)\\nX[false] = 'a'\\nprint(X)
            w = param(ones(3))\\nw[false] = 2\\nprint(w)\\nw[true] = 2
            X = zeros(2, 3)\\nX[1, tensor[true, true, false]] = tensor[4, 5]\\nprint(X)
            X = zeros(2, 3)\\nX[1, [0, 2]] = tensor[4.0, 5.0]\\nprint(X)
            X = zeros(2, 3)\\nX[[0, 1], [2, 0]] = tensor[4, 5]\\nprint(X)
            X = zeros(2, 3).long()\\nX[[0, 1], [2, 0]] = 9\\nprint(X)
            X = tensor[3]\\nX[0] = tensor[-5.7]\\nprint(X)
            X = tensor[3]\\nX[0] = -5.7\\nprint(X)
            X = tensor[1, 2]\\nX[0] = tensor[true]\\nprint(X)
            X = tensor[true, false]\\nX[1] = 5\\nprint(X)
            X = tensor[true, false]\\nX[0] = 0.0\\nprint(X)
            X = zeros(2, 3).long()\\nX[:, 1:] = ones(2, 2).double() * 2.5\\nprint(X)
            X = zeros(2, 3)\\nX[...] = arange(3)\\nprint(X)
            X = zeros(2, 3)\\nX[none] = arange(3)\\nprint(X)
            X = zeros(2, 3)\\nX[none, 1] = tensor[1, 2, 3]\\nprint(X)
            X = zeros(2, 3).long()\\nX[..., 1] = tensor[1.5, 2.5]\\nprint(X)
            X = zeros(2, 3)\\nX[0] = ones(2, 3)[0:1]\\nprint(X)
            X = zeros(2, 3)\\nX[0, 0] = ones(1, 1, 1)\\nprint(X)
            X = zeros(2, 3)\\nX[0] = ones(2)\\nprint(X)
            X = zeros(2, 3)\\nX[0] = ones(2, 3)\\nprint(X)
            X = zeros(2, 3)\\nX[[0]] = ones(1, 1, 3)\\nprint(X)
            X = zeros(2, 3).double()\\nX[0, 1] = 0.1\\nprint(X[0, 1].item())
            X = zeros(2, 3).double()\\nX[[0], 1] = 0.1\\nprint(X[0, 1].item())
            X = zeros(2, 3).double()\\nX[0, 0:2] = 0.1\\nprint(X[0, 1].item())
            X = zeros(3)\\nX[0] = 1e300\\nprint(X)
            X = zeros(3)\\nX[0:2] = 1e300\\nprint(X)
            X = zeros(3)\\nX[[0]] = 1e300\\nprint(X)
            X = zeros(3)\\nX[X == 0] = -1e300\\nprint(X)
            X = zeros(3)\\nX[0] = float('inf')\\nX[1] = float('nan')\\nX[[2]] = -float('inf')\\nprint(X)
            X = zeros(3).long()\\nX[0] = float('inf')\\nprint(X)
            X = zeros(3).long()\\nX[[0]] = float('nan')\\nprint(X)
            X = zeros(3).long()\\nX[0] = 1e19\\nprint(X)
            X = zeros(3).long()\\nX[0] = -9.2e18\\nprint(X)
            X = zeros(3).int()\\nX[0] = 2 ** 40\\nprint(X)
            X = zeros(3).int()\\nX[[0]] = 2 ** 31 - 1\\nX[1] = -2 ** 31\\nprint(X)
            X = zeros(3).int()\\nX[1:] = -2 ** 31 - 1\\nprint(X)
            X = zeros(3).int()\\nX[0] = 3e9\\nprint(X)
            X = as_tensor([0, 0, 0], dtype='uint8')\\nX[0] = -1\\nX[[1]] = -255\\nprint(X)
            X = as_tensor([0, 0, 0], dtype='uint8')\\nX[[0]] = 300\\nprint(X)
            X = as_tensor([0, 0, 0], dtype='uint8')\\nX[0] = -256\\nprint(X)
            X = as_tensor([0, 0, 0], dtype='uint8')\\nX[0] = -1.0\\nprint(X)
            X = as_tensor([0, 0, 0], dtype='uint8')\\nX[0] = 255.9\\nX[1] = true\\nprint(X)
            X = as_tensor([0, 0, 0], dtype='int8')\\nX[0] = 128\\nprint(X)
            X = as_tensor([0, 0, 0], dtype='int8')\\nX[0] = -128\\nX[1] = 127.5\\nprint(X)
            X = zeros(3)\\nX[0] = 2 ** 70\\nprint(X)
            X = zeros(3)\\nX[[0]] = -2 ** 70\\nprint(X)
            X = zeros(3).double()\\nX[0] = 1e300\\nprint(X)
            X = zeros(3)\\nX[0] = 3.4028235e38\\nprint(X)
            X = zeros(3)\\nX[0:2] = [1, 2]\\nprint(X)
            X = zeros(3)\\nX[[0, 1]] = (1, 2)\\nprint(X)
            X = zeros(3)\\nX[[0, 1]] = [1, 2]\\nprint(X)
            X = zeros(3)\\nX[0] = 'a'\\nprint(X)
            X = zeros(3)\\nX[[0]] = none\\nprint(X)
            X = zeros(3).long()\\nX[as_tensor(0)] = as_tensor(2.5)\\nprint(X)
            X = zeros(3).long()\\nX[as_tensor(1)] = 2.5\\nprint(X)
            X = zeros(3).long()\\nX[as_tensor(0)] += 2.5\\nprint(X)
            X = zeros(3).long()\\nX[as_tensor([0])] = as_tensor(2.5)\\nprint(X)
            X = as_tensor(1.0)\\nX[...] = 5\\nprint(X)
            X = as_tensor(1.0)\\nX[none] = tensor[3]\\nprint(X)
            X = as_tensor(1)\\nX[none] = tensor[3.5]\\nprint(X)
            X = as_tensor(1)\\nX[true] = tensor[3.5]\\nprint(X)
            X = as_tensor(1)\\nX[[0]] = 3\\nprint(X)
            X = tensor[3]\\nX[[0]] += 2.5\\nprint(X)
            X = tensor[3]\\nX[0] += 2.5\\nprint(X)
            X = tensor[3]\\nX[[0]] /= 2\\nprint(X)
            X = tensor[3]\\nX[0:1] /= 2\\nprint(X)
            X = tensor[3]\\nX[[0]] //= 2.5\\nprint(X)
            X = tensor[7]\\nX[[0]] //= 2\\nprint(X)
            X = tensor[true]\\nX[[0]] += 1\\nprint(X)
            X = tensor[true, false]\\nX[[0]] *= true\\nprint(X)
            X = zeros(2, 3).long()\\nX[X > -1] *= 2\\nprint(X)
            X = arange(6).reshape(2, 3)\\nX[X > 2] *= 2.5\\nprint(X)
            X = arange(6).reshape(2, 3)\\nX[X > 2] *= 2\\nprint(X)
            X = arange(6).reshape(2, 3).float()\\nX[X > 2] *= 2\\nprint(X)
            X = arange(6).reshape(2, 3).float()\\nX[[0, 1], [2, 0]] -= tensor[1, 2]\\nprint(X)
            X = arange(6).reshape(2, 3)\\nX[[0, 1], [2, 0]] -= tensor[1.5, 2.0]\\nprint(X)
            X = arange(6).reshape(2, 3)\\nX[:, [0]] += ones(2, 1).long()\\nprint(X)
            X = arange(6).reshape(2, 3)\\nX[:, [0]] += ones(2, 2).long()\\nprint(X)
            X = arange(6)\\nX[[1, 1]] += 1\\nprint(X)
            X = tensor[[3.0], [-1.0], [4.0]].double()\\nX[-5:1:2, none] *= -5\\nX[none, 1:] += tensor[false]\\nX[..., 0] -= 1\\nprint(X)
            X = zeros(3).long()\\nX[[0]] -= true\\nprint(X)
            X = ones(3)\\nX[1:] += tensor[1, 2]\\nprint(X)
            X = ones(3).long()\\nX[1:] += tensor[1.0, 2.0]\\nprint(X)
            X = ones(2, 2).double()\\nX[[0]] += ones(2)\\nprint(X)
            X = ones(3)\\nX[[0, 2]] = X[[0, 2]] * 2.5\\nprint(X)
            X = ones(3).long()\\nX[[0, 2]] = X[[0, 2]] * 2.5\\nprint(X)
            X = ones(3).long()\\nX[0:2] = X[0:2] * 2.5\\nprint(X)
            X = ones(3).long()\\nX[X > 0] = X[X > 0] * 2.5\\nprint(X)
            X = ones(3).long()\\nX[X > 0] = X[X > 0][0:1] * 2.5\\nprint(X)
            w = param(ones(3))\\nw[[0]] = 2\\nprint(w)
            """;

    private static final Pattern LOCATED = Pattern.compile("^case\\.cnn:\\d+:\\d+: (.*)$", Pattern.DOTALL);

    @Test
    void writesComputeOrRaiseAsPyTorch(@TempDir Path tmp) {
        Path python = Path.of(System.getProperty("diff.python", "/usr/bin/python3"));
        if (!pythonWithTorch(python)) {
            String message = "\n*** IndexAssignmentTest: " + python + " with torch is missing; PyTorch did NOT run ***\n";
            System.err.println(message);
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        List<DifferentialTest.Case> cases = new ArrayList<>();
        for (String line : CASES.strip().split("\n")) {
            cases.add(new DifferentialTest.Case(cases.size(), "index write", line.replace("\\n", "\n")));
        }
        Map<Integer, DifferentialTest.Outcome> ours = DifferentialTest.runCnn(cases, tmp);
        Map<Integer, DifferentialTest.Outcome> theirs = DifferentialTest.runPython(cases, tmp);
        List<String> failures = new ArrayList<>();
        int raised = 0;
        for (DifferentialTest.Case c : cases) {
            DifferentialTest.Outcome a = ours.get(c.id());
            DifferentialTest.Outcome b = theirs.get(c.id());
            String why = differs(a, b);
            if (why != null) {
                failures.add(c.cnn() + "\n  " + why + "\n  cnnscript: " + show(a) + "\n  PyTorch:   " + show(b));
            }
            raised += b.error() == null ? 0 : 1;
        }
        assertEquals("", String.join("\n", failures), failures.size() + " of " + cases.size() + " programs differ from PyTorch");
        assertTrue(cases.size() > 100 && raised > 30 && cases.size() - raised > 30, raised + " of " + cases.size() + " raise");
    }

    /** Null when cnnscript did what PyTorch did, else how it differs. */
    static String differs(DifferentialTest.Outcome ours, DifferentialTest.Outcome theirs) {
        if (!ours.out().equals(theirs.out())) {
            return "prints differ";
        }
        if (theirs.error() == null) {
            return ours.error() == null ? null : "cnnscript raises";
        }
        if (ours.error() == null) {
            return "cnnscript does not raise";
        }
        Matcher m = LOCATED.matcher(ours.error());
        if (!m.matches()) {
            return "the error has no place";
        }
        String expected = theirs.error().substring(theirs.error().indexOf(": ") + 2)
                .replace("a str to", "a string to").replace("a NoneType to", "a none to");
        return m.group(1).contains(expected) ? null : "the message is not PyTorch's";
    }

    private static String show(DifferentialTest.Outcome o) {
        return o.out().strip() + (o.error() == null ? "" : " RAISES " + o.error());
    }

    private static boolean pythonWithTorch(Path python) {
        if (!Files.isExecutable(python)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import torch").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

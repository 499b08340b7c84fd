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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday Python a learner types, checked against Python itself: each line of {@link #CASES}
 * is a program in the syntax cnnscript and Python share, run by cnnscript and by
 * {@code /usr/bin/python3} (with torch 1.13, through {@link DifferentialTest}'s runner and
 * prelude, which print true/none as cnnscript does). What they print must be the same text, and
 * where Python raises cnnscript must raise too (its own words are checked by ErrorsTest).
 * Without python3-torch the test is skipped loudly, except under {@code CI=true}.
 */
class PythonSemanticsTest {

    /** One program per line; {@code \n} inside a line separates its statements. */
    static final String CASES = """
            print(3 in [1, 2, 3], 4 in [1, 2, 3], 4 not in [1, 2, 3], 3 not in (3,))
            print(1 in [1.0], 1 in [true], 1.0 in (1,), 0 in [false], 2 in [], none in [none], none in [0])
            print([1] in [[1]], (1, 2) in [(1, 2)], [1, 2] in [(1, 2)], "a" in ["a", "b"], "a" in [["a"]])
            print("ab" in "cab", "" in "x", "x" not in "abc", "ba" in "abc", "é" in "café")
            print(1 in "abc")
            print(none in "abc")
            print(1 in 5)
            print(1 in none)
            print(1 in 2.5)
            print(1 in true)
            print(tensor([[1, 2], [3, 4]]), tensor([1.0, 2.0], dtype="float64"), tensor(3.5), tensor(3), tensor(true), tensor(-0.0))
            print(tensor([]), tensor([[]]), tensor(()), tensor([[], [1]]), tensor([true, 1]), tensor([true, 1.5]), tensor([[true], [false]]))
            print(tensor(((1, 2), (3, 4))), tensor([(1, 2), [3, 4]]), tensor(range(3)), tensor([range(3), range(3, 6)]), tensor(range(0)))
            print(tensor([-1, -255, 5], dtype="uint8"), tensor([1.7, -2.9], dtype="int32"), tensor([0.5, 0, -0.0, float("nan")], dtype="bool"))
            print(tensor([70000.0, 1, true], dtype="float16"), tensor([[1, 2]], dtype="int8"), tensor([0.1, 1 / 3], dtype="float64"), tensor([1e40]))
            print(tensor([tensor[1][0], tensor[2][0]]), tensor([tensor[1.5].double()[0], 2]), tensor([tensor[1].int()[0], 2]), tensor([tensor[1].int()[0]]))
            print(tensor([tensor[1]]), tensor([tensor[true][0], 2.5]), tensor([tensor[2][0]], dtype="bool"), tensor([tensor[1.5][0]], dtype="float64"))
            print(tensor([2 ** 63, 1.0]), tensor([-2 ** 63]), tensor([2 ** 64], dtype="float32"), tensor(2 ** 62), tensor([1e19, 1]))
            w = tensor([1.0, 2.0], requires_grad=true)\\nprint(w, w.requires_grad, w.is_leaf)\\nl = (w * w).sum()\\nbackward(l)\\nprint(w.grad)
            print(tensor([1, 2], dtype="float32", requires_grad=true), tensor(2.5, requires_grad=false).requires_grad)
            x = tensor([1.5, 2])\\ny = tensor(x, dtype="float64")\\nz = tensor(x, requires_grad=true)\\nx[0] = 7\\nprint(x, y, z, z.is_leaf)
            p = tensor([1.0, 2.0], requires_grad=true)\\nq = tensor(p * 2)\\nprint(q, q.requires_grad, q.is_leaf)
            print(tensor([[1, 2], [3]]))
            print(tensor([[1, 2], [3, 4, 5]]))
            print(tensor([[[1, 2]], [[1, 2, 3]]]))
            print(tensor([[1, 2], []]))
            print(tensor([[1, 2], 3]))
            print(tensor([1, [2]]))
            print(tensor([1.0, [2]]))
            print(tensor("abc"))
            print(tensor([1, "a"]))
            print(tensor([none]))
            print(tensor(none))
            print(tensor([1, none], dtype="float32"))
            print(tensor([1, 2], requires_grad=true))
            print(tensor([true], requires_grad=true))
            print(tensor([2 ** 63]))
            print(tensor([10 ** 400, 1.0]))
            print(tensor([2 ** 40], dtype="int32"))
            print(tensor([300], dtype="int8"))
            print(tensor([-256], dtype="uint8"))
            print(tensor([-0.5], dtype="uint8"))
            print(tensor([float("nan")], dtype="int64"))
            print(tensor([tensor[1, 2], tensor[3, 4]]))
            print(tensor([tensor[1.0, 2.0]]))
            print(tensor([tensor[1.7][0]], dtype="int64"))
            print(tensor([1], requires_grad=1))
            print(tensor([1], dtype="flot"))
            print(3 in range(10), 10 in range(10), 3 in range(0, 10, 2), 4 in range(0, 10, 2), -1 in range(10))
            print(-3 in range(0, -10, -3), -2 in range(0, -10, -3), 0 in range(0, -10, -3), -10 in range(0, -10, -3))
            print(1.0 in range(3), 1.5 in range(3), true in range(3), "a" in range(3), none in range(3))
            print(10 ** 20 in range(10 ** 21), 10 ** 20 + 1 in range(0, 10 ** 21, 2), 5 not in range(5))
            print(2 in tensor[[1, 2], [3, 4]], 9 in tensor[1, 2], 2.0 in tensor[1, 2], true in tensor[1], 0.5 in tensor[0.5])
            print(tensor[1, 5] in tensor[[1, 2], [3, 4]], tensor[9][0] in tensor[1, 2], 1 in zeros(0), 0 not in ones(3))
            print("a" in tensor[1])
            print([1] in tensor[1])
            print(none in tensor[1])
            print(tensor[1, 2, 3] in tensor[[1, 2], [3, 4]])
            print(tensor[1] in [1, 2], 1 in [tensor[1]], tensor[7][0] in [1, 7])
            print(tensor[1, 2] in [1, 2])
            print(1 < 2 in [2], 1 < 2 in [3], 0 < 1 not in [2], 1 in [1] in [[1]], 1 in [1] == true)
            print(not 1 in [1], not 1 not in [1], 1 in [1] and 2 in [2], 3 in [1] or 2 in [2])
            xs = [1, 2, 3]\\nys = [2, 3, 4]\\nprint([x for x in xs if x in ys], [x in ys for x in xs], [x for x in xs if x not in ys])
            print([x for x in range(10) if x in range(3, 20, 3)])
            print(range(10)[2], range(10)[-1], range(3, 20, 4)[2], range(10, 0, -3)[1], range(10, 0, -3)[-1])
            print(range(10)[2:8:2], range(10)[::-1], range(10)[100:], range(0, 20, 3)[1:-1], range(5)[-2:])
            print(range(10)[::2][1:], range(10, 0, -2)[::-1], range(0)[:], range(5)[::-2], range(5)[3:1], range(1, 6)[-100:100])
            print(range(10)[10])
            print(range(10)[-11])
            print(range(0)[0])
            print(range(10)[1.0])
            print(range(10)[::0])
            print(len(range(10)[2:8:2]), list(range(10)[::-3]), range(10 ** 20)[10 ** 19], range(10 ** 20)[-1])
            print(range(5) == range(0, 5), range(0) == range(2, 2), range(0, 3, 2) == range(0, 4, 2), range(1) == range(0, 5, 7))
            print(range(3) == range(4), range(3) != range(3), range(3) == [0, 1, 2], range(2)[true], range(3, 0) == range(0))
            print(bool(range(0)), bool(range(2)), len(range(3, 20, 4)), len(range(5, 0)), len(range(0, -9, -2)))
            print(range(5), range(1, 5), range(1, 5, 2), range(5, 1, -1), range(-3))
            print(sum(range(101)), sum(range(5), 10), sum(range(10 ** 6)))
            print("%.2f %.2f %.1f %.0f %.0f %.3f %.1f %.2f" % (0.125, 2.675, 0.25, 2.5, 3.5, 0.0625, 0.05, 1.005))
            print("%e %.2e %.0e %E %#.0e %.3e %e" % (12345.678, 0.000125, 2.5, 1e-10, 3.0, 9.9995, 0.0))
            print("%g %.3g %g %g %#g %.2g %G %g %.0g" % (0.0001, 2.675, 1e-5, 123456789.0, 1.5, 0.125, 1e20, 100000.0, 25.0))
            print("%5.1f|%-8.3f|%+.2f|% .1f|%08.2f|%.2f" % (-0.05, 3.14159, 2.5, 1.25, -3.14159, -0.001))
            print("%f %f %.10f %.20f %.1f" % (1e20, 1 / 3, 0.1, 0.1, 1e300))
            print("loss %.3f, acc %.2f, step %d" % (0.0625, 0.845, 3.9))
            print("%u %5.3s| %-5c|%c|%3c|%c|%.0c|%03c|%c" % (7, "abcdef", "x", "é", 65, 127881, "y", 66, true), "%#u %u %a %5.2a|%a" % (5, -2.7, "é🎉ā", "é", [1.5, "x"]))
            print("%c" % "ab")
            print("%c" % 1.5)
            print("%c" % -1)
            print("%c" % 1114112)
            print("%.0f %.0f %.0f %.0f %e %e %g %g %g %g %G" % (0.5, 1.5, 2.5, -0.5, 1e-320, 1.7976931348623157e308, 1e-5, 0.00001234, 1e16, 123456.0, 1e-10))
            print("%d %d %f %e %g %5.2f %-8.3g|%+f %+g % e %08.3f %-08.3f| %010.2e %#.3g %#g %.3g" % (10 ** 30, -(10 ** 30), float("inf"), float("-inf"), float("nan"), -0.0, -0.0, float("nan"), float("inf"), 1.5, -1.5, -1.5, -1.5e10, 1.0, 0.0, 0.0001234))
            print("%5.1f|%-6d|%+d|% d|%05d|%x|%#X|%#o|%o|%-+8.2e|%s|%r|%%|%i %X" % (2.25, 42, 5, 7, -42, -255, 255, 8, -8, 12345.0, "é", "q", 3.9, 3000000000000), "%.17g %.17f %.3e %s" % (0.1, 0.1, 9.9995e-5, 1e16))
            print(round(-0.4, 0), round(-0.5, 0), round(2.5, 0), round(0.125, 2), round(-0.0001, 2), round(2.675, 2))
            print(round(1234, -2), round(1250, -2), round(1350, -2), round(5, -1), round(15, -1), round(-25, -1), round(7, -100))
            print(round(float("inf"), 2), round(float("nan"), 1), round(123.456, -1), round(0.1, 400), round(1e300, -400), round(7, 2))
            print(round(2.5), round(3.5), round(-2.5), round(0.5), round(-0.5), round(1e20), type(round(2.5)), type(round(2.5, 1)))
            print(round(true), round(false, 2), round(true, -1), type(round(true, 1)), round(false, none), round(2.567, true), round(-2.5, -1), round(-25.0, -1))
            print(round(0.285, 2), round(-1.0, -5), round(-15.0, -1), round(0.5, none), round(1.5e-300, 300), round(2 ** 70 + 0.0, -3), round(-123.456, -2))
            print(round(float("inf")))
            print(round(float("nan")))
            print([1, 2] < [1, 3], [1] < [1, 0], (1, "a") < (1, "b"), [] < [1], (2,) > (1, 5), (1, 2) <= (1, 2), [2] >= [1, 9])
            print([1.5] < [2], [true] < [2], [[1, 2]] < [[1, 3]], (1, 2) > (1, 2), [1, 2] <= [1], (0,) < (0, 0))
            print(sorted([(2, "b"), (1, "z"), (2, "a")]), min([(2, "a"), (1, "b")]), max([[1, 2], [1, 3]]))
            print(sorted(["b", "A", "a", "B", ""]), "é" > "z", "🎉" > "ｚ", "a" < "ab", "Z" < "a")
            print((1, 2) < [1, 3])
            print([1, "a"] < [1, 2])
            print([1, 2] < 3)
            print(1 if true else 2, 1 if 0 else 2, "a" if [] else "b", [x if x % 2 else -x for x in range(4)])
            print(1 if false else 2 if false else 3, (1 if true else 2) + 1, 1 if true else 1 / 0, 1 / 0 if false else 0)
            x = 5\nprint("big" if x > 3 else "small", x if x in [5] else none, [y for y in range(6) if (y > 2 if x else y < 2)])
            print(1 if ones(2) else 0)
            print(sum(["a", "b"], ""))
            print(", ".join([1, 2]))
            print(sorted([3, 1, 2], reverse=true), sorted(["bb", "a", "ccc"], key=len), sorted([-3, 2, -1], key=abs, reverse=true))
            print(sorted([1, true, 1.0], reverse=true), sorted("bca", reverse=true), sorted([(1, "b"), (0, "c"), (1, "a")], key=len))
            print(min([-3, 2, -1], key=abs), max(["a", "ccc", "bb"], key=len), max([1, -1], key=abs), min("b", "ab", key=len))
            print(any([0, 1]), any([]), all([]), all([1, 0]), any(range(0)), all(range(1, 5)), any(""), all(["a", ""]), any([none, 0.0, ""]))
            print(any(tensor[0, 1]), all(tensor[1, 1]), any(zeros(0)), all(tensor[1, 0]))
            print(any(ones(2, 2)))
            print(list(reversed([1, 2, 3])), list(reversed("abc")), list(reversed(range(4))), list(reversed((1,))), list(reversed([])))
            print(ord("A"), ord("é"), ord("🎉"), chr(65), chr(233), chr(127881), chr(ord("a") + 1))
            print(ord("ab"))
            print(chr(-1))
            print("a,b,,c".split(","), "  a  b ".split(" "), "a b".split(none), "abc".split("b", 1), "x".split(","), "".split(","), "".split())
            print(" a b  c ".split(none, 1), "a b c".split(maxsplit=1), "a,b,c".split(",", 0), "a,b,c".split(",", -1), "a\tb\nc".split())
            print("x".split(""))
            print(" \t x y \n".strip(), "xxaxx".strip("x"), "ab".lstrip("a"), "ab".rstrip("b"), "  a ".lstrip() + "|", "  a ".rstrip(), "abcba".strip("ab"), "".strip("x"))
            print("Hello".replace("l", "L"), "aaa".replace("a", "b", 2), "ab".replace("", "-"), "ab".replace("", "-", 2), "abc".replace("x", "y"), "aaaa".replace("aa", "b"), "a🎉".replace("", "|"))
            print("abcabc".find("c"), "abc".find("x"), "héllo".find("l"), "🎉x".find("x"), "abc".find(""), "abcabc".index("b"), "aaa".count("a"), "aaaa".count("aa"), "abc".count(""), "".count(""))
            print("abc".index("x"))
            print("x.py".endswith(".py"), "x".endswith(""), "tensor".startswith("ten"), "abc".endswith("ab"))
            print(divmod(7, 2), divmod(-7, 2), divmod(7, -2), divmod(-7.5, 2), divmod(7.5, -0.5), divmod(10 ** 20, 7), divmod(true, 2))
            print(divmod(1, 0))
            print(divmod(ones(2), 2))
            print(sum([[1], [2]], []), sum([true, true]), sum([0.1] * 10), sum((1.5, 2)), sum([], 5), sum(range(0)))
            a = [1]\nb = a\na += [2]\nc = a\nc *= 2\nprint(a, b, c)
            a = [1]\na += (2, 3)\na += "xy"\na += range(2)\na *= 1\nprint(a)
            a = [1, 2]\nb = a\na *= 0\nprint(a, b)
            a = (1,)\nb = a\na += (2,)\nprint(a, b)
            a = [[1], [2]]\nb = a[0]\na[0] += [3]\nprint(a, b)
            t = ([1],)\nt[0] += [2]
            a = [1]\na += 5
            xs = [3, 1, 2]\nys = xs\nxs.sort()\nprint(xs, ys)\nxs.sort(reverse=true)\nprint(xs)\nxs.sort(key=abs)\nprint(xs)
            xs = ["bb", "a", "ccc"]\nxs.sort(key=len, reverse=true)\nxs.reverse()\nprint(xs)
            xs = [3, 1, 2]\nxs.insert(0, 9)\nxs.insert(-1, 8)\nxs.insert(100, 7)\nxs.insert(-100, 6)\nxs.remove(1)\nprint(xs, xs.count(9), xs.count(5), xs.index(2))
            xs = [1, 2, 1.0, true]\nprint(xs.count(1))\nys = xs.copy()\nys.append(5)\nxs.clear()\nprint(xs, ys)
            xs = [1]\nxs.remove(2)
            xs = [1]\nxs.extend(range(3))\nxs.extend("ab")\nxs.extend((4,))\nprint(xs)
            print("%s" % tensor[1, 2], "%.3f" % tensor[0.5][0], "%d" % tensor[3][0], "%5.1f|" % tensor[2.25][0], "%.3f" % tensor[[0.5]])
            print("%x %d %r" % (tensor[255][0], tensor[true][0], tensor[1.5]))
            print("%.3f" % tensor[0.5, 1.0])
            print(max(tensor[1, 5, 3]), min(tensor[2.5, -1.0]), max(tensor[[1], [3], [2]]), min([tensor[2], tensor[1]]))
            print(max(tensor[[1, 2], [3, 4]]))
            print(max(tensor[1][0]))
            print(max(zeros(0)))
            x = none\nprint(x is none, x is not none, none is none, 0 is none, false is none, [] is not none, not x is none)
            a = [1]\nb = a\nc = [1]\nprint(a is b, a is c, a is not c, a == c, true is true, true is 1, 1 is true)
            X = ones(2)\nY = X\nprint(X is Y, X is ones(2), X is not none, "a" is "a", 1.5 is 1.5, 1 is 1.0)
            fn_ = print\nprint(fn_ is print, len is len, len is not print, 1 < 2 is true, (1 < 2) is true)
            print(divmod(-0.0, 1), -0.0 // 1, 7 % -3.0, -7 // 2.0, 5 % -0.5, -5 % 0.5, 0.0 % -2, 1 % 1e-300, 3.5 // 0.5, -3.5 // 0.5)
            print(2 ** -1, 2 ** 0.5, (-2) ** 3, (-2.0) ** 2, 2.0 ** -1074, 0 ** 0, 0.0 ** 0, (-8) ** -1, 4 ** 0.5, 10 ** -3, 2 ** 64)
            print(int(-0.5), int(2.9e18), int(1e19), int("-0"), int("+7"), int("1_000"), float("1_0.5"), float("-0"), float(".5e1"))
            print(abs(-0.0), -0.0 + 0.0, 0.0 * -1, 1e308 * 10, -1e308 * 10, 0.1 + 0.2, 1 / 3, 2 / 3, 10 / 4, 1e16, 1.5e-7, 123456789012345678.0)
            print(bool(0), bool(-1), bool(0.0), bool(-0.0), bool("0"), bool(" "), bool([0]), bool((0,)), bool(none), bool(float("nan")))
            print(not [], not [0], [] or "x", 0 or none, 1 and 2, 0 and 1, "" or 0, [] and 1, true + true, true * 3, -true, true / 2)
            print("-".join("abc"), "".join(["a", "b"]), " ".join([str(i) for i in range(3)]), "+".join(("x",)))
            """;

    @Test
    void cnnscriptPrintsWhatPythonPrints(@TempDir Path tmp) {
        Path python = Path.of(System.getProperty("diff.python", "/usr/bin/python3"));
        if (!pythonWithTorch(python)) {
            String message = "\n*** PythonSemanticsTest: " + python + " with torch is missing; Python did NOT run ***\n";
            System.err.println(message);
            if ("true".equals(System.getenv("CI"))) {
                fail(message);
            }
            Assumptions.assumeTrue(false, message);
        }
        List<DifferentialTest.Case> cases = new ArrayList<>();
        for (String line : CASES.strip().split("\n")) {
            cases.add(new DifferentialTest.Case(cases.size(), "python", line.replace("\\n", "\n")));
        }
        Map<Integer, DifferentialTest.Outcome> ours = DifferentialTest.runCnn(cases, tmp);
        Map<Integer, DifferentialTest.Outcome> theirs = DifferentialTest.runPython(cases, tmp);
        List<String> failures = new ArrayList<>();
        for (DifferentialTest.Case c : cases) {
            DifferentialTest.Outcome a = ours.get(c.id());
            DifferentialTest.Outcome b = theirs.get(c.id());
            String verdict = DifferentialTest.compare(a, b);
            if (!verdict.equals("equal") && !verdict.equals("both raise")) {
                failures.add(c.cnn() + "\n  cnnscript: " + show(a) + "\n  Python:    " + show(b));
            }
        }
        assertEquals("", String.join("\n", failures), failures.size() + " of " + cases.size() + " programs differ from Python");
        assertTrue(cases.size() > 30);
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

package io.cnnscript.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cnnscript.TestFiles;
import io.cnnscript.error.CnnException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The interpreter's own room: how the compiler resolves names to slots, closures and globals,
 * where it refuses break/continue/return before anything runs, and the limits on statements,
 * depth and time. No tensors beyond what an interpreter makes; a fresh interpreter per test.
 */
class ScopingTest {

    private StringWriter printed;
    private Interpreter in;

    @BeforeEach
    void start() {
        printed = new StringWriter();
        in = TestFiles.confine(new Interpreter(NDManager.newBaseManager(), new PrintWriter(printed, true),
                new PrintWriter(new StringWriter(), true)));
    }

    @AfterEach
    void stop() {
        in.close();
    }

    private String run(String source) {
        in.eval(source, "<test>", false);
        return printed.toString();
    }

    private CnnException error(String source) {
        return assertThrows(CnnException.class, () -> in.eval(source, "<test>", false));
    }

    private String[] slots(String function) {
        return ((FunctionValue) in.get(function)).code.slotNames;
    }

    // ------------------------------------------------------------------ slots

    @Test
    void aFunctionsSlotsAreItsParametersThenEveryNameItAssigns() {
        run("fn f(a, b=2) {\n"
                + "  c = a + b\n"
                + "  for i in range(2) { d = i }\n"
                + "  ys = [k for k in range(2)]\n"
                + "  fn g() { e = c; return e }\n"
                + "  c += 1\n"
                + "  return g\n"
                + "}");
        // e belongs to g; c += 1 uses the slot c already has; k belongs to the comprehension.
        assertArrayEquals(new String[] {"a", "b", "c", "i", "d", "ys", "g"}, slots("f"));
        run("g = f(1)");
        assertArrayEquals(new String[] {"e"}, slots("g"));
    }

    @Test
    void anAugmentedAssignmentAloneMakesNoLocal() {
        run("fn step() { w -= 1 }");
        assertArrayEquals(new String[0], slots("step"));
        assertEquals("9\n", run("w = 10\nstep()\nprint(w)"));
    }

    // ------------------------------------------------------------------ names, as Python resolves them

    @Test
    void assignmentInAFunctionMakesALocalAndLeavesTheGlobal() {
        assertEquals("2 1\n", run("x = 1\nfn f() { x = 2; return x }\nprint(f(), x)"));
    }

    @Test
    void globalsAreReadWhenTheFunctionRuns() {
        assertEquals("10 12\n", run("y = 5\nfn g() { return y * 2 }\na = g()\ny = 6\nprint(a, g())"));
    }

    @Test
    void aLocalReadBeforeItsAssignmentIsAnErrorNotTheGlobal() {
        CnnException e = error("x = 1\nfn f() { print(x); x = 2 }\nf()");
        assertEquals("<test>:2:16: 'x' is used before it is given a value", e.getMessage());
        e = error("print(nope)");
        assertEquals("<test>:1:7: 'nope' is not defined", e.getMessage());
    }

    @Test
    void closuresShareTheVariablesOfTheFrameTheyWereMadeIn() {
        assertEquals("1 2 1\n", run("fn make() { n = 0; fn inc() { n += 1; return n }; return inc }\n"
                + "a = make(); b = make()\nprint(a(), a(), b())"));
        // Late binding, as in Python: each f sees the loop variable's last value.
        assertEquals("1 2 1\n[2, 2, 2]\n", run("fn mk() { fs = []; for i in range(3) { fn f() { return i }; fs.append(f) }; "
                + "return fs }\nprint([h() for h in mk()])"));
    }

    @Test
    void nestedFunctionsSeeEveryEnclosingLevel() {
        assertEquals("111\n", run("fn outer(a) { fn mid(b) { fn inner(c) { return a + b + c }; return inner(1) }; "
                + "return mid(10) }\nprint(outer(100))"));
    }

    @Test
    void defaultsAreEvaluatedOnceWhereTheFunctionIsDefined() {
        assertEquals("1 5\n", run("d = 1\nfn f(a=d) { return a }\nd = 2\nprint(f(), f(5))"));
    }

    @Test
    void recursionAndParametersShadowGlobals() {
        assertEquals("120 3\n", run("n = 3\nfn fact(n) { if n <= 1 { return 1 }; return n * fact(n - 1) }\n"
                + "print(fact(5), n)"));
    }

    @Test
    void aComprehensionsNamesAreItsOwn() {
        // As in Python 3: after the comprehension its names are not defined...
        assertEquals("'k' is not defined", error("fn f() { ys = [k * 2 for k in range(3)]; return k }\nprint(f())").detail());
        assertEquals("'k' is not defined", error("[k for k in range(3)]\nprint(k)").detail());
        // ...and a variable of the same name outside it is neither hidden nor changed, wherever the
        // comprehension is: in a list, a tensor literal, an index or a tuple.
        run("x = 100");
        assertEquals("100\n", fresh("fn h(xs) { a = x; t = [x for x in xs]; return a }\nprint(h([1, 2]))"));
        assertEquals("100\n", fresh("fn h(xs) { a = x; t = tensor[[x for x in xs]]; return a }\nprint(h([1, 2]))"));
        assertEquals("100\n", fresh("fn h(xs) { a = x; t = xs[len([x for x in xs]) - 1]; return a }\nprint(h([1, 2]))"));
        assertEquals("100\n", fresh("fn h(xs) { a = x; t = (1, [x for x in xs]); return a }\nprint(h([1, 2]))"));
        assertEquals("[1, 2] 100\n", fresh("print([x for x in [1, 2]], x)"));
    }

    /** What source prints, without what earlier runs in this test printed. */
    private String fresh(String source) {
        printed.getBuffer().setLength(0);
        return run(source);
    }

    // ------------------------------------------------------------------ placement, checked before running

    @Test
    void misplacedJumpsAreRefusedBeforeAnythingRuns() {
        CnnException e = error("print('ran')\nbreak");
        assertEquals("<test>:2:1: 'break' outside a loop", e.getMessage());
        e = error("if true {\n  continue\n}");
        assertEquals("<test>:2:3: 'continue' outside a loop", e.getMessage());
        e = error("x = 1\nreturn x");
        assertEquals("<test>:2:1: 'return' outside a function", e.getMessage());
        // A function body is not inside the loop that defines it.
        e = error("for i in range(2) {\n  fn f() { break }\n}");
        assertEquals("<test>:2:12: 'break' outside a loop", e.getMessage());
        e = error("layer L() {\n  w = 1\n}");
        assertEquals("<test>:1:1: layer L needs a forward(x) { ... } method", e.getMessage());
        assertEquals("", printed.toString());
        // Inside a loop inside a function, and a return in a loop, are fine.
        assertEquals("1\n", run("fn f() { for i in range(5) { if i == 1 { return i } } }\nprint(f())"));
    }

    // ------------------------------------------------------------------ limits

    @Test
    void theStatementLimitStopsAnEndlessLoopAndCountsEachEvalAfresh() {
        in.setMaxStatements(1000);
        CnnException e = error("n = 0\nwhile true { n += 1 }");
        assertTrue(e.getMessage().startsWith("<test>:2:"), e.getMessage());
        assertEquals("stopped: the script ran more than 1000 statements (the engine's limit)", e.detail());
        run("s = 0\nfor i in range(300) { s += i }");
        run("for i in range(300) { s += i }");
        assertEquals("89700\n", run("print(s)"));
        e = error("ys = [i for i in range(100000)]");
        assertEquals("stopped: the script ran more than 1000 statements (the engine's limit)", e.detail());
    }

    @Test
    void theDepthLimitStopsEndlessRecursion() {
        in.setMaxDepth(50);
        assertEquals("40\n", run("fn down(n) { if n == 0 { return 0 }; return 1 + down(n - 1) }\nprint(down(40))"));
        CnnException e = error("fn r(n) { return r(n + 1) }\nr(0)");
        assertTrue(e.detail().startsWith("too deep: more than 50 nested calls (endless recursion in r"), e.detail());
    }

    @Test
    void theTimeLimitStopsALoopThatRunsTooLong() {
        in.setTimeoutNanos(300_000_000L);
        long start = System.nanoTime();
        CnnException e = error("while true { }");
        assertEquals("stopped: the script ran longer than its time limit of 300 ms", e.detail());
        assertTrue(System.nanoTime() - start < 60_000_000_000L);
        // The next eval gets its own time.
        assertEquals("ok\n", run("print('ok')"));
    }
}

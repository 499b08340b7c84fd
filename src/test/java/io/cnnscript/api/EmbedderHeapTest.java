package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cnnscript.error.CnnException;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * Strings, lists and self-referencing values under a hostile script: each answer is a
 * CnnException (a size cap, a recursion guard) or Python's own answer, never an
 * OutOfMemoryError or a StackOverflowError, and the engine goes on.
 */
class EmbedderHeapTest {

    private static String refused(CnnEngine engine, String code) {
        return assertThrows(CnnException.class, () -> engine.eval(code), code).getMessage();
    }

    @Test
    void hugeFormatFieldsAndGrowthAreRefused() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            assertEquals("<eval>:1:15: format field '%999999999d' is too wide; the limit is 10,000,000 characters",
                    refused(engine, "\"%999999999d\" % 1"));
            assertEquals("<eval>:1:18: format field '%.99999999999f' is too wide; the limit is 10,000,000 characters",
                    refused(engine, "\"%.99999999999f\" % 1.5"));
            assertEquals("<eval>:3:11: the string would have 16,777,216 characters; the limit is 10,000,000",
                    refused(engine, "s = 'x'\nwhile true {\n    s = s + s\n}"));
            assertEquals("<eval>:1:9: repeating would make 100000000 items; the limit is 10000000",
                    refused(engine, "x = [0] * 100000000"));
            assertEquals("<eval>:3:5: the list would have 16,777,216 items; the limit is 10,000,000",
                    refused(engine, "x = [0]\nwhile true {\n    x.extend(x)\n}"));
            assertEquals("<eval>:3:11: the list would have 16,777,216 items; the limit is 10,000,000",
                    refused(engine, "x = [0]\nwhile true {\n    x = x + x\n}"));
            assertEquals("<eval>:1:5: the list would have 10,000,001 items; the limit is 10,000,000",
                    refused(engine, "x = [0 for i in range(20000000)]"));
            assertEquals(8L, engine.eval("len('%8d' % 1)"), "ordinary widths work");
            assertEquals("    1.50", engine.eval("'%8.2f' % 1.5"));
        }
    }

    @Test
    void aListThatHoldsItselfIsShownAndComparedAsInPython() {
        StringWriter out = new StringWriter();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            engine.eval("x = []\nx.append(x)\ny = x\nt = (1, x)");
            assertEquals(true, engine.eval("x == x"));
            assertEquals(true, engine.eval("x == y"));
            assertEquals(true, engine.eval("[x] == [x]"));
            engine.eval("print(x)\nprint(repr(x))\nprint(t)\nprint([x, [x]])");
            assertEquals("[[...]]\n[[...]]\n(1, [[...]])\n[[[...]], [[[...]]]]\n", out.toString());
            // Python: RecursionError. Two lists that each hold themselves are compared level by level.
            engine.eval("z = []\nz.append(z)");
            assertEquals("<eval>:1:3: too deep: comparing lists nested more than 1000 levels",
                    refused(engine, "x == z"));
            assertEquals("<eval>:1:1: a tensor has at most 64 dimensions; these lists nest deeper (a list that "
                    + "holds itself?)", refused(engine, "as_tensor(x)"));
            CnnException e = assertThrows(CnnException.class, () -> engine.get("x"));
            assertEquals("too deep: lists nested more than 1000 levels (a list that holds itself?) cannot be handed "
                    + "to Java", e.getMessage());
            assertEquals(1L, engine.eval("len(x)"));
        }
    }

    @Test
    void deeplyNestedListsAreRefusedWhereTheyWouldRecurse() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("a = []\nb = []\nfor i in range(1500) {\n    a = [a]\n    b = [b]\n}");
            assertEquals("<eval>:1:3: too deep: comparing lists nested more than 1000 levels",
                    refused(engine, "a == b"));
            assertEquals("<eval>:1:1: too deep: showing lists nested more than 1000 levels", refused(engine, "repr(a)"));
            assertEquals(1L, engine.eval("len(a)"));
        }
    }
}

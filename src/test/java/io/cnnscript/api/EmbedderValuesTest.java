package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import org.junit.jupiter.api.Test;

/** Typed accessors, call() without generated source, and the docs' host-function example (issue 14). */
class EmbedderValuesTest {

    @Test
    void typedAccessorsReadNumbersTensorsAndLists() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("X = tensor[[0.5, 1], [2, 3]]\ns = X.sum()\nn = 3\nf = 2.5\nk = arange(4).sum()\nl = [1, 2.5]");
            assertEquals(6.5, engine.getDouble("s"));
            assertEquals(3.0, engine.getDouble("n"));
            assertEquals(3L, engine.getLong("n"));
            assertEquals(6L, engine.getLong("k"));
            assertArrayEquals(new float[] {0.5f, 1, 2, 3}, engine.getFloats("X"));
            assertArrayEquals(new float[] {1, 2.5f}, engine.getFloats("l"));
            try (NDManager mine = NDManager.newBaseManager()) {
                NDArray x = engine.getTensor("X", mine);
                assertEquals(mine, x.getManager());
                assertArrayEquals(new float[] {0.5f, 1, 2, 3}, x.toFloatArray());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> engine.getLong("f"));
            assertEquals("'f' is a float, not an int", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> engine.getDouble("X"));
            assertEquals("'X' is a tensor of shape (2, 2), not a number", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> engine.getDouble("nope"));
            assertEquals("'nope' is not defined, not a number", e.getMessage());
        }
    }

    @Test
    void callRunsTheFunctionValueAndErrorsPointIntoItsSource() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("fn dbl(x) {\n    return x * 2 + nope\n}\nfn ok(x) { return x * 2 }", "lib.cnn");
            CnnException e = assertThrows(CnnException.class, () -> engine.call("dbl", 4));
            assertEquals("lib.cnn", e.file());
            assertEquals(2, e.line());
            e = assertThrows(CnnException.class, () -> engine.call("ok", 1, 2));
            assertFalse(e.getMessage().contains("<call"), e.getMessage());
            assertEquals(8L, engine.call("ok", 4));
            // Tensors made for the arguments do not outlive the call.
            long before = engine.memoryUsage()[0];
            for (int i = 0; i < 50; i++) {
                engine.call("ok", new float[] {1, 2, 3});
            }
            assertEquals(before, engine.memoryUsage()[0] - 50 /* the 50 results get() handed out */);
        }
    }

    /** docs/EMBEDDING.md's host-function example, as written there, with an int argument. */
    @Test
    void theDocsHostFunctionExampleTakesIntsAndFloats() {
        try (CnnEngine engine = CnnEngine.builder().out(new java.io.StringWriter()).build()) {
            engine.define("scale(x, by=2.0)", "Multiplies a tensor by a number, in Java.",
                    args -> ((NDArray) args.get(0)).mul(((Number) args.get(1)).doubleValue()));
            engine.eval("Y = scale(tensor[1.0, 2.0], by=10)\nZ = scale(tensor[1.0, 2.0])");
            assertArrayEquals(new float[] {10, 20}, engine.getFloats("Y"));
            assertArrayEquals(new float[] {2, 4}, engine.getFloats("Z"));
        }
    }
}

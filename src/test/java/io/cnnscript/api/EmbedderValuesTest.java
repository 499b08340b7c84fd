package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            java.util.List<NDArray> results = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                results.add((NDArray) engine.call("ok", new float[] {1, 2, 3}));
            }
            assertEquals(before, engine.memoryUsage()[0], "neither the arguments nor the results stay in the engine");
            results.forEach(NDArray::close);
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

    /**
     * Every Java primitive array type is accepted, 1-D and 2-D alike: numbers become the tensor
     * torch.tensor makes for that type (printed as PyTorch prints it), except short[], which is
     * int32 (the tensor engine aborts the process on int16, and cnnscript has none); char[] is text.
     */
    @Test
    void javaArraysOfEveryPrimitiveTypeAreAccepted() {
        java.io.StringWriter out = new java.io.StringWriter();
        try (CnnEngine engine = CnnEngine.builder().out(out).build()) {
            engine.set("s1", new short[] {1, -2, 3});
            engine.set("s2", new short[][] {{1, -2}, {3, 32767}});
            engine.set("b2", new byte[][] {{1, -128}, {3, 127}});
            engine.set("z2", new boolean[][] {{true, false}, {false, true}});
            engine.set("d2", new double[][] {{1.5, 2}});
            engine.set("i2", new int[][] {{1, 2}});
            engine.set("e", new short[0]);
            engine.eval("for t in [s1, s2, b2, z2, d2, i2, e] {\n    print(repr(t))\n}");
            assertEquals("""
                    tensor([ 1, -2,  3], dtype=torch.int32)
                    tensor([[    1,    -2],
                            [    3, 32767]], dtype=torch.int32)
                    tensor([[   1, -128],
                            [   3,  127]], dtype=torch.int8)
                    tensor([[ True, False],
                            [False,  True]])
                    tensor([[1.5000, 2.0000]], dtype=torch.float64)
                    tensor([[1, 2]], dtype=torch.int32)
                    tensor([], dtype=torch.int32)
                    """, out.toString());
            // Back in Java, as the same types.
            try (NDManager mine = NDManager.newBaseManager()) {
                NDArray s2 = engine.getTensor("s2", mine);
                assertEquals(ai.djl.ndarray.types.DataType.INT32, s2.getDataType());
                assertEquals(new ai.djl.ndarray.types.Shape(2, 2), s2.getShape());
                assertArrayEquals(new float[] {1, -2, 3, 32767}, engine.getFloats("s2"));
            }
            assertEquals(-2L, engine.eval("s1[1].item()"));

            engine.set("c", new char[] {'h', 'i', '\u00e9'});
            engine.set("cc", new char[][] {{'a', 'b'}, {'c'}});
            engine.set("ch", 'x');
            assertEquals("hi\u00e9", engine.get("c"));
            assertEquals(java.util.List.of("ab", "c"), engine.get("cc"));
            assertEquals("hi\u00e9! 3 x", engine.eval("c + '! ' + str(len(c)) + ' ' + ch"));

            IllegalArgumentException jagged = assertThrows(IllegalArgumentException.class,
                    () -> engine.set("j", new short[][] {{1, 2}, {3}}));
            assertEquals("the Java array is not rectangular: a row at depth 1 has 1 items where the first has 2",
                    jagged.getMessage());
            IllegalArgumentException nullRow = assertThrows(IllegalArgumentException.class,
                    () -> engine.set("n", new float[][] {{1}, null}));
            assertEquals("the Java array has a null row at depth 1", nullRow.getMessage());
        }
    }

    /**
     * Values handed to the host belong to the host: 1000 gets (and eval, call and run results)
     * leave the engine's native arrays as they were, count nothing against maxNativeBytes, and
     * stay valid after the engine closes; the host frees them by closing them.
     */
    @Test
    void valuesHandedToTheHostBelongToTheHost() {
        java.util.List<NDArray> mine = new java.util.ArrayList<>();
        try {
            // 100,000 float32 = 400 KB held; the limit lets the engine hold about two such tensors.
            try (CnnEngine engine = CnnEngine.builder().maxNativeBytes(1_000_000).build()) {
                engine.eval("X = ones(100000)\nL = [X, (X, 2)]\nfn twice(t) { return t * 2 }");
                CnnScript step = engine.compile("X[:3] + 1");
                ((NDArray) step.run()).close(); // the engine keeps the last value in _, as the loop below leaves it
                long[] before = engine.memoryUsage();
                for (int i = 0; i < 1000; i++) {
                    mine.add((NDArray) engine.get("X"));
                }
                for (int i = 0; i < 100; i++) {
                    mine.add((NDArray) engine.eval("X * 3"));
                    mine.add((NDArray) engine.call("twice", new float[] {1, 2, 3, 4, 5, 6}));
                    mine.add((NDArray) step.run());
                    java.util.List<?> l = (java.util.List<?>) engine.get("L");
                    mine.add((NDArray) l.get(0));
                    mine.add((NDArray) ((java.util.List<?>) l.get(1)).get(0));
                }
                assertArrayEquals(before, engine.memoryUsage(), "the engine holds what it held");
                // 1600 copies of 400 KB are out, and the engine still makes a 400 KB tensor under its 1 MB cap.
                assertEquals(100000L, engine.eval("Y = ones(100000)\nY.numel()"));
                assertEquals(3.0f, mine.get(1000).toFloatArray()[5]);
                assertEquals(12.0f, mine.get(1001).toFloatArray()[5]);
                assertArrayEquals(new float[] {2, 2, 2}, mine.get(1002).toFloatArray());
            }
            // The engine is closed; the host's copies are still good until the host closes them.
            float[] kept = mine.get(999).toFloatArray();
            assertEquals(100000, kept.length);
            assertEquals(1.0f, kept[99999]);
            for (NDArray a : mine) {
                a.close();
            }
            assertTrue(mine.get(0).isReleased());
        } finally {
            mine.forEach(NDArray::close);
        }
    }

    /**
     * A host that never closes what get() and eval() hand it does not grow native memory without
     * bound: 3000 copies of 1 MB that nothing reaches any more (3 GB if they lived until the JVM
     * ends) are freed as the handouts go on, while the copies the host still holds, closed or
     * not, stay as they are.
     */
    @Test
    void copiesTheHostDropsWithoutClosingAreFreed() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            engine.eval("X = ones(262144)"); // 1 MB of float32
            for (int i = 0; i < 100; i++) {
                engine.get("X"); // warm up: the allocator's pools and the collector's first rounds
            }
            NDArray held = (NDArray) engine.get("X");
            NDArray closed = (NDArray) engine.get("X");
            closed.close();
            long before = io.cnnscript.TestFiles.rssMb();
            long most = 0;
            for (int i = 0; i < 3000; i++) {
                Object dropped = i % 2 == 0 ? engine.get("X") : engine.eval("X");
                assertEquals(1L << 20, ((NDArray) dropped).getShape().size() * 4);
                most = Math.max(most, io.cnnscript.lib.HostCopies.outstandingBytes());
            }
            long grown = io.cnnscript.TestFiles.rssMb() - before;
            assertTrue(most <= 2 * io.cnnscript.lib.HostCopies.FLOOR + (8L << 20),
                    "copies not yet freed reached " + (most >> 20) + " MB");
            assertTrue(before < 0 || grown < 400, "resident memory grew by " + grown + " MB over 3000 dropped 1 MB copies");
            float[] kept = held.toFloatArray();
            assertEquals(262144, kept.length);
            assertEquals(1.0f, kept[262143], "a copy the host holds stays");
            assertTrue(closed.isReleased());
            held.close();
        }
    }
}

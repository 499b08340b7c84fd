package io.cnnscript.api.jsr223;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.api.CnnEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.script.Bindings;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSR-223 as issue 14 item 11 asks: Bindings that do not bleed, limits from the factory, no leak without close. */
class Jsr223IsolationTest {

    @Test
    void separateBindingsDoNotSeeEachOthersVariables() throws Exception {
        ScriptEngine js = new CnnScriptEngineFactory().getScriptEngine();
        try {
            Bindings a = new SimpleBindings();
            Bindings b = new SimpleBindings();
            a.put("x", 1);
            js.eval("y = x + 1\nfn f() { return 7 }", a);
            assertEquals(2L, a.get("y"));
            b.put("x", 10);
            ScriptException missing = assertThrows(ScriptException.class, () -> js.eval("z = y", b));
            assertTrue(missing.getMessage().contains("'y' is not defined"), missing.getMessage());
            ScriptException e = assertThrows(ScriptException.class, () -> js.eval("f()", b));
            assertTrue(e.getMessage().contains("'f' is not defined"), e.getMessage());
            assertFalse(b.containsKey("y"));
            // Equal contents are still two variable sets.
            Bindings c = new SimpleBindings();
            c.put("x", 1);
            assertThrows(ScriptException.class, () -> js.eval("f()", c));
            // The engine's own bindings saw none of it.
            assertFalse(js.getBindings(javax.script.ScriptContext.ENGINE_SCOPE).containsKey("y"));
            // A Bindings keeps its variables from one eval to the next, and loses those the host removes.
            assertEquals(7L, js.eval("f()", a));
            a.remove("y");
            assertThrows(ScriptException.class, () -> js.eval("y", a));
        } finally {
            ((AutoCloseable) js).close();
        }
    }

    @Test
    void limitsAndFilesComeFromTheFactory(@TempDir Path dir) throws Exception {
        CnnScriptEngineFactory factory = new CnnScriptEngineFactory(() -> CnnEngine.builder()
                .timeout(Duration.ofMillis(2000)).allowFiles(dir));
        ScriptEngine js = factory.getScriptEngine();
        try {
            ScriptException e = assertThrows(ScriptException.class, () -> js.eval("while true { x = 1 }"));
            assertTrue(e.getMessage().contains("time limit"), e.getMessage());
            js.eval("save(ones(2), \"x.pt\")");
            assertTrue(Files.exists(dir.resolve("x.pt")));
            // Another Bindings' engine has the same settings.
            assertThrows(ScriptException.class, () -> js.eval("while true { x = 1 }", new SimpleBindings()));
        } finally {
            ((AutoCloseable) js).close();
        }
        ScriptEngine plain = new CnnScriptEngineFactory().getScriptEngine();
        try {
            ScriptException e = assertThrows(ScriptException.class, () -> plain.eval("save(ones(2), \"x.pt\")"));
            assertTrue(e.getMessage().contains("file access is off"), e.getMessage());
        } finally {
            ((AutoCloseable) plain).close();
        }
    }

    private static long workers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches("cnnscript-\\d+") && t.isAlive()).count();
    }

    /** A CnnEngine that is dropped without close() is freed once collected: its thread ends. */
    @Test
    void aNeverClosedEngineIsFreedWhenCollected() throws Exception {
        long before = workers();
        for (int i = 0; i < 3; i++) {
            CnnEngine e = CnnEngine.builder().build();
            e.eval("X = ones(100, 100)");
        }
        assertTrue(workers() >= before + 3, "each engine has its thread while alive");
        for (int i = 0; i < 100 && workers() > before; i++) {
            System.gc();
            Thread.sleep(100);
        }
        assertEquals(before, workers());
    }

    /**
     * Tensors a JSR-223 host reads (eval results, Bindings values, invokeFunction results) belong
     * to the script engine, not to the CnnEngine underneath: reading them leaves the CnnEngine's
     * arrays as they were, and closing the script engine frees them (JSR-223 hosts close nothing else).
     */
    @Test
    void tensorsTheHostReadsBelongToTheScriptEngine() throws Exception {
        CnnScriptEngine js = (CnnScriptEngine) new CnnScriptEngineFactory().getScriptEngine();
        java.util.List<ai.djl.ndarray.NDArray> read = new java.util.ArrayList<>();
        try {
            js.eval("X = ones(1000)\nfn twice(t) { return t * 2 }\nX");
            long[] before = js.engine().memoryUsage();
            Bindings other = new SimpleBindings();
            for (int i = 0; i < 100; i++) {
                read.add((ai.djl.ndarray.NDArray) js.get("X"));
                read.add((ai.djl.ndarray.NDArray) js.eval("X"));
                read.add((ai.djl.ndarray.NDArray) js.invokeFunction("twice", new float[] {1, 2}));
                js.eval("Y = ones(3) * 7", other);
                read.add((ai.djl.ndarray.NDArray) other.get("Y"));
            }
            assertEquals(before[0], js.engine().memoryUsage()[0]);
            assertEquals(7.0f, read.get(read.size() - 1).toFloatArray()[2]);
            assertEquals(4.0f, read.get(2).toFloatArray()[1]);
        } finally {
            js.close();
        }
        assertTrue(read.stream().allMatch(ai.djl.ndarray.NDArray::isReleased), "closing the script engine frees them");
    }

    /**
     * Limits and file access from ScriptContext attributes (cnnscript.*): the factory's settings
     * are the base, an attribute replaces one for the evals while it is there, in the engine's
     * scope, the global scope or the context of one eval.
     */
    @Test
    void limitsAndFilesComeFromContextAttributes(@TempDir Path dir) throws Exception {
        CnnScriptEngineFactory factory = new CnnScriptEngineFactory(() -> CnnEngine.builder().maxStatements(5_000));
        CnnScriptEngine js = (CnnScriptEngine) factory.getScriptEngine();
        try {
            String loop = "n = 0\nfor i in range(2000) { n += 1 }\nn";
            assertEquals(2000L, js.eval(loop), "the factory's 5000 statements are enough");
            js.getContext().setAttribute("cnnscript.maxStatements", 1000, ScriptContext.ENGINE_SCOPE);
            ScriptException e = assertThrows(ScriptException.class, () -> js.eval(loop));
            assertTrue(e.getMessage().contains("stopped: the script ran more than 1000 statements"), e.getMessage());
            // The same through put (ENGINE_SCOPE), as a String.
            js.put(CnnScriptEngine.MAX_STATEMENTS, "100000");
            assertEquals(20000L, js.eval(loop.replace("2000", "20000")));
            js.getContext().removeAttribute("cnnscript.maxStatements", ScriptContext.ENGINE_SCOPE);
            e = assertThrows(ScriptException.class, () -> js.eval(loop.replace("2000", "20000")));
            assertTrue(e.getMessage().contains("more than 5000 statements"), "back to the factory's: " + e.getMessage());

            js.getContext().setAttribute(CnnScriptEngine.TIMEOUT, java.time.Duration.ofMillis(300), ScriptContext.ENGINE_SCOPE);
            js.getContext().setAttribute(CnnScriptEngine.MAX_STATEMENTS, 0, ScriptContext.ENGINE_SCOPE);
            e = assertThrows(ScriptException.class, () -> js.eval("while true { x = 1 }"));
            assertTrue(e.getMessage().contains("time limit of 300 ms"), e.getMessage());
            js.getContext().setAttribute(CnnScriptEngine.TIMEOUT, "PT0.2S", ScriptContext.ENGINE_SCOPE);
            e = assertThrows(ScriptException.class, () -> js.eval("while true { x = 1 }"));
            assertTrue(e.getMessage().contains("time limit of 200 ms"), e.getMessage());
            js.getContext().setAttribute(CnnScriptEngine.TIMEOUT, "soon", ScriptContext.ENGINE_SCOPE);
            e = assertThrows(ScriptException.class, () -> js.eval("1"));
            assertEquals("cnnscript.timeout must be a Duration or a number of milliseconds, not 'soon'", e.getMessage());
            js.getContext().removeAttribute(CnnScriptEngine.TIMEOUT, ScriptContext.ENGINE_SCOPE);

            js.getContext().setAttribute(CnnScriptEngine.MAX_TENSOR_ELEMENTS, 1000L, ScriptContext.ENGINE_SCOPE);
            e = assertThrows(ScriptException.class, () -> js.eval("x = zeros(100, 100)"));
            assertTrue(e.getMessage().contains("the limit is 1,000"), e.getMessage());

            // Files: off in this factory; an attribute in the global scope opens a folder.
            e = assertThrows(ScriptException.class, () -> js.eval("save(ones(2), 'x.pt')"));
            assertTrue(e.getMessage().contains("file access is off"), e.getMessage());
            Bindings global = new SimpleBindings();
            global.put(CnnScriptEngine.ALLOW_FILES, dir.toString());
            js.setBindings(global, ScriptContext.GLOBAL_SCOPE);
            js.eval("save(ones(2), 'x.pt')");
            assertTrue(Files.exists(dir.resolve("x.pt")));
            // The attribute is not a variable: scripts do not see it.
            assertThrows(ScriptException.class, () -> js.eval("cnnscript"));
            // Another Bindings' engine gets the attributes too (from the engine's context).
            Bindings other = new SimpleBindings();
            js.eval("save(ones(3), 'y.pt')", other);
            assertTrue(Files.exists(dir.resolve("y.pt")));
            global.put(CnnScriptEngine.ALLOW_FILES, "");
            e = assertThrows(ScriptException.class, () -> js.eval("save(ones(2), 'z.pt')"));
            assertTrue(e.getMessage().contains("file access is off"), e.getMessage());
        } finally {
            js.close();
        }
    }

    /**
     * Evals with a fresh Bindings each, as a server running one script per request does, keep
     * native memory bounded: the engine of a Bindings the host dropped is closed (its tensors and
     * its thread with it), and the tensors copied back into a dropped Bindings are freed, without
     * waiting for the script engine to close.
     */
    @Test
    void evalsWithFreshBindingsKeepMemoryBounded() throws Exception {
        CnnScriptEngine js = (CnnScriptEngine) new CnnScriptEngineFactory().getScriptEngine();
        try {
            float[] x = new float[65536]; // 256 KB as a tensor
            java.util.Arrays.fill(x, 1.5f);
            long before = 0;
            long most = 0;
            long mostWorkers = 0;
            for (int i = 0; i < 1500; i++) {
                if (i == 100) {
                    before = io.cnnscript.TestFiles.rssMb();
                }
                Bindings fresh = new SimpleBindings();
                fresh.put("X", x);
                fresh.put("i", i);
                assertEquals(65536 * 3.0 + i, js.eval("Y = X * 2\n(Y.sum() + i).item()", fresh));
                assertEquals(3.0f, ((ai.djl.ndarray.NDArray) fresh.get("Y")).toFloatArray()[65535]);
                most = Math.max(most, io.cnnscript.lib.HostCopies.outstandingBytes());
                mostWorkers = Math.max(mostWorkers, workers());
            }
            long grown = io.cnnscript.TestFiles.rssMb() - before;
            assertTrue(mostWorkers <= 80, mostWorkers + " engines alive at once");
            assertTrue(most <= 2 * io.cnnscript.lib.HostCopies.FLOOR + (8L << 20), (most >> 20) + " MB of copies waiting");
            assertTrue(before < 0 || grown < 300, "resident memory grew by " + grown + " MB over 1400 evals");
        } finally {
            js.close();
        }
    }
}

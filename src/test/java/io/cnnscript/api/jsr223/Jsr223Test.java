package io.cnnscript.api.jsr223;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import io.cnnscript.error.CnnException;
import java.io.StringWriter;
import java.util.List;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.Test;

class Jsr223Test {

    private final ScriptEngineManager manager = new ScriptEngineManager();

    @Test
    void foundByNameAndByExtension() throws Exception {
        ScriptEngine byName = manager.getEngineByName("cnnscript");
        ScriptEngine byExtension = manager.getEngineByExtension("cnn");
        assertNotNull(byName);
        assertNotNull(byExtension);
        assertTrue(byName instanceof CnnScriptEngine);
        assertEquals("cnnscript", byName.getFactory().getLanguageName());
        assertEquals(List.of("cnn"), byName.getFactory().getExtensions());
        ((AutoCloseable) byName).close();
        ((AutoCloseable) byExtension).close();
    }

    @Test
    void bindingsAreTheScriptVariables() throws Exception {
        try (CnnScriptEngine engine = (CnnScriptEngine) manager.getEngineByName("cnnscript")) {
            engine.put("X", new float[][] {{0, 1, 2}, {3, 4, 5}, {6, 7, 8}});
            engine.put("k", 2);
            Object last = engine.eval("Y = corr2d(X, tensor[[0, 1], [2, 3]]) * k\nY.sum().item()");
            assertEquals(248.0, last);
            assertArrayEquals(new float[] {38, 50, 74, 86}, ((NDArray) engine.get("Y")).toFloatArray());
            Bindings b = engine.getBindings(ScriptContext.ENGINE_SCOPE);
            assertTrue(b.containsKey("Y"));
            assertEquals(2L, b.get("k"));
            assertEquals(List.of("X", "k", "Y"), List.copyOf(b.keySet()));
        }
    }

    @Test
    void printWritesToTheContextWriter() throws Exception {
        try (CnnScriptEngine engine = (CnnScriptEngine) manager.getEngineByName("cnnscript")) {
            StringWriter out = new StringWriter();
            engine.getContext().setWriter(out);
            engine.eval("print('hello', 1 + 2)");
            assertEquals("hello 3\n", out.toString());
        }
    }

    @Test
    void otherBindingsAreCopiedInAndOut() throws Exception {
        try (CnnScriptEngine engine = (CnnScriptEngine) manager.getEngineByName("cnnscript")) {
            Bindings mine = engine.createBindings();
            mine.put("a", 20);
            engine.eval("b = a + 1", mine);
            assertEquals(21L, mine.get("b"));
            assertEquals(20L, mine.get("a"));
        }
    }

    @Test
    void globalScopeNamesAreVisible() throws Exception {
        manager.put("shared", "from the manager");
        try (CnnScriptEngine engine = (CnnScriptEngine) manager.getEngineByName("cnnscript")) {
            assertEquals("from the manager!", engine.eval("shared + '!'"));
        }
    }

    @Test
    void scriptErrorsAreScriptExceptionsWithTheirPlace() throws Exception {
        try (CnnScriptEngine engine = (CnnScriptEngine) manager.getEngineByName("cnnscript")) {
            SimpleScriptContext ctx = new SimpleScriptContext();
            ctx.setBindings(engine.getBindings(ScriptContext.ENGINE_SCOPE), ScriptContext.ENGINE_SCOPE);
            ctx.setAttribute(ScriptEngine.FILENAME, "model.cnn", ScriptContext.ENGINE_SCOPE);
            ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("x = 1\ny = x +", ctx));
            assertEquals("model.cnn", e.getFileName());
            assertEquals(2, e.getLineNumber());
            e = assertThrows(ScriptException.class, () -> engine.eval("\n\n  zeros(2) @ 'a'", ctx));
            assertEquals(3, e.getLineNumber());
            assertTrue(e.getColumnNumber() > 0);
            assertTrue(e.getCause() instanceof CnnException);
        }
    }

    @Test
    void compiledScriptsAndInvocable() throws Exception {
        try (CnnScriptEngine engine = (CnnScriptEngine) manager.getEngineByName("cnnscript")) {
            CompiledScript step = ((Compilable) engine).compile("n = n + 1\nn");
            engine.put("n", 0);
            assertEquals(1L, step.eval());
            assertEquals(2L, step.eval());
            assertSame(engine, step.getEngine());

            engine.eval("fn area(w, h) { return w * h }");
            assertEquals(12L, ((Invocable) engine).invokeFunction("area", 3, 4));
            assertThrows(NoSuchMethodException.class, () -> ((Invocable) engine).invokeFunction("nope"));
            Shapes shapes = ((Invocable) engine).getInterface(Shapes.class);
            assertEquals(30L, shapes.area(5, 6));
        }
    }

    /** Implemented by script functions of the same names. */
    public interface Shapes {
        Object area(int w, int h);
    }
}

package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits an application sets on scripts it did not write, checked through the embedding API. */
class EmbedderLimitsTest {

    @Test
    void maxStatementsStopsARunawayScriptAndTheEngineGoesOn() {
        try (CnnEngine engine = CnnEngine.builder().maxStatements(10_000).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("i = 0\nwhile true { i += 1 }"));
            assertEquals("<eval>:2:14: stopped: the script ran more than 10000 statements (the engine's limit)",
                    e.getMessage());
            assertEquals(42L, engine.eval("6 * 7"));
        }
    }

    @Test
    void timeoutStopsAndTheEngineGoesOn() {
        try (CnnEngine engine = CnnEngine.builder().timeout(Duration.ofMillis(300)).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("fn f() { while true { x = 1 } }\nf()"));
            assertTrue(e.detail().startsWith("stopped: the script ran longer than its time limit of 300 ms"), e.getMessage());
            assertEquals(1, e.line());
            assertEquals(3L, engine.eval("1 + 2"));
        }
    }

    @Test
    void hugeTensorsAreRefusedAndTheProcessLives() {
        try (CnnEngine engine = CnnEngine.builder().maxTensorElements(1_000_000).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("x = zeros(2000, 2000)"));
            assertEquals("<eval>:1:5: zeros() of shape (2000, 2000) would hold 4,000,000 elements; the limit is 1,000,000",
                    e.getMessage());
            assertEquals(4L, engine.eval("zeros(2, 2).numel()"));
        }
    }

    @Test
    void filesAreOffByDefault(@TempDir Path dir) {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            CnnException e = assertThrows(CnnException.class,
                    () -> engine.eval("save(Linear(2, 2), '" + dir.resolve("x.params") + "')"));
            assertTrue(e.detail().startsWith("file access is off in this engine"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("x.params")));
        }
    }

    @Test
    void allowFilesKeepsScriptsInsideTheirFolder(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        try (CnnEngine engine = CnnEngine.builder().allowFiles(root).build()) {
            engine.eval("net = Linear(2, 2)\nsave(net, 'net.params')");
            assertTrue(Files.exists(root.resolve("net.params")));
            for (String bad : new String[] {"../outside/a.params", outside.resolve("b.params").toString(), "link/c.params"}) {
                CnnException e = assertThrows(CnnException.class, () -> engine.eval("save(net, '" + bad + "')"), bad);
                assertTrue(e.detail().startsWith("the path " + bad + " is outside the folders this engine may use"),
                        e.getMessage());
            }
            try (var files = Files.list(outside)) {
                assertEquals(0, files.count(), "nothing may be written outside the root");
            }
        }
    }

    @Test
    void scriptsReachNoJavaClasses() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            for (String probe : new String[] {"System", "java", "Class", "Runtime", "getClass"}) {
                CnnException e = assertThrows(CnnException.class, () -> engine.eval(probe), probe);
                assertTrue(e.detail().startsWith("'" + probe + "' is not defined"), e.getMessage());
            }
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("ones(1).getClass()"));
            assertTrue(e.detail().startsWith("a tensor has no attribute or method 'getClass'"), e.getMessage());
            e = assertThrows(CnnException.class, () -> engine.eval("print.getClass"));
            assertTrue(e.detail().contains("has no attribute or method 'getClass'"), e.getMessage());
        }
    }

    @Test
    void anErrorInOneEngineLeavesAnotherAlone() {
        StringWriter out = new StringWriter();
        try (CnnEngine a = CnnEngine.builder().maxStatements(100).build();
                CnnEngine b = CnnEngine.builder().out(out).build()) {
            b.eval("w = param(tensor[[1.0, 2.0]])");
            assertThrows(CnnException.class, () -> a.eval("while true { }"));
            assertThrows(CnnException.class, () -> a.eval("zeros(2) @ ones(3)"));
            a.close();
            b.eval("backward((w * w).sum()); print(w.grad)");
            assertEquals("tensor([[2., 4.]])\n", out.toString());
        }
    }

    @Test
    void withoutFileAccessDataComesFromTheShippedSample() {
        StringWriter err = new StringWriter();
        try (CnnEngine engine = CnnEngine.builder().err(err).build()) {
            assertEquals(3000L, engine.eval("train_iter, test_iter = fashion_mnist()\ntrain_iter.size"));
            assertTrue(err.toString().contains("using the 3000/1000-image sample shipped with cnnscript"), err.toString());
        }
    }
}

package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Builtin;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What embedded scripts are told never shows the host's layout or Java's insides: files are named
 * as the script wrote them (in errors and in what plot, show and fashion_mnist print), and a bug
 * in cnnscript is a located "internal error" whose details are only in the exception's cause.
 */
class EmbedderMessagesTest {

    @Test
    void plotShowAndDataMessagesNameFilesAsTheScriptWroteThem(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectory(tmp.resolve("root"));
        Files.createDirectories(root.resolve("r"));
        Files.writeString(root.resolve("r/metrics.csv"), "bad");
        Files.createDirectories(root.resolve("d"));
        StringWriter out = new StringWriter();
        List<String> said = new ArrayList<>();
        try (CnnEngine engine = CnnEngine.builder().out(out).err(out).allowFiles(root).build();
                CnnEngine closed = CnnEngine.builder().out(out).err(out).build()) {
            String[][] cases = {
                {"show(zeros(28, 28))", "<eval>:1:1: show(): there is no display here, and this engine may not write "
                        + "its pictures folder (~/.cnn/pictures); give png='name.png' in a folder it may use"},
                {"show(zeros(28, 28), png='d')", "<eval>:1:1: show(): d: cannot write: it is a folder, not a file"},
                {"plot('r', 'p.png')", "<eval>:1:1: plot(): r/metrics.csv:1: expected header "
                        + "'epoch,train_loss,train_acc,test_acc,seconds'"},
                {"plot('nope', 'p.png')", "<eval>:1:1: plot(): nope/metrics.csv: not found"},
                {"plot('r', 'd')", "<eval>:1:1: plot(): d: cannot write: it is a folder, not a file"},
                {"plot('r', 'p.gif')", "<eval>:1:1: plot(): p.gif: the image is written as PNG (.png) or JPEG (.jpg, "
                        + ".jpeg); name the file so"},
            };
            for (String[] c : cases) {
                CnnException e = assertThrows(CnnException.class, () -> engine.eval(c[0]), c[0]);
                assertEquals(c[1], e.getMessage(), c[0]);
                said.add(e.getMessage());
            }
            CnnException off = assertThrows(CnnException.class, () -> closed.eval("show(zeros(28, 28))"));
            assertEquals(cases[0][1], off.getMessage());
            engine.eval("show(zeros(28, 28), png='x.png')\nshow(zeros(2, 28, 28), png='sub/y.png')");
            engine.eval("train_iter, test_iter = fashion_mnist(data_dir='nope')");
            assertTrue(Files.exists(root.resolve("sub/y.png")));
        }
        String shown = out.toString();
        assertTrue(shown.startsWith("show: 28x28 picture in x.png\nshow: 2 pictures of 28x28 in sub/y.png\n"), shown);
        assertTrue(shown.contains("note: Fashion-MNIST not found (looked in nope); using the 3000/1000-image sample"),
                shown);
        said.add(shown);
        for (String s : said) {
            assertFalse(s.contains(tmp.toString()) || s.contains(tmp.toRealPath().toString()), s);
            assertFalse(s.contains(System.getProperty("user.home") + "/"), s);
        }
    }

    @Test
    void aBugInCnnscriptIsALocatedInternalErrorWithoutJavaNames() {
        try (CnnEngine engine = CnnEngine.builder().build()) {
            // A built-in with a bug: its Java exception names a class and a host path.
            engine.set("buggy", new Builtin("test", "buggy()", "", (rt, a) -> {
                throw new NullPointerException("Cannot invoke \"java.nio.file.Path.toFile()\" on /home/app/secret");
            }));
            engine.set("stale", new Builtin("test", "stale()", "", (rt, a) -> {
                throw new IllegalStateException("NDManager has been closed already.");
            }));
            engine.set("bare", new Builtin("test", "bare()", "", (rt, a) -> {
                throw new IllegalArgumentException(); // no message: the class name was all it said
            }));
            for (String call : new String[] {"x = 1\ny = buggy()", "x = 1\ny = stale()", "x = 1\ny = bare()"}) {
                CnnException e = assertThrows(CnnException.class, () -> engine.eval(call, "t.cnn"));
                assertEquals("t.cnn:2:5: " + Interpreter.INTERNAL_ERROR, e.getMessage());
                assertEquals("internal error -- please report it (the details: run with --debug, or see the "
                        + "exception's cause)", e.detail());
                assertTrue(e.getCause() instanceof RuntimeException, "details in the cause");
            }
            // A host function's exception: its message, without Java's class names.
            engine.define("host", "", args -> {
                throw new UnsupportedOperationException("not today");
            });
            engine.define("silent", "", args -> {
                throw new NullPointerException();
            });
            assertEquals("<eval>:1:1: host function host() failed: not today",
                    assertThrows(CnnException.class, () -> engine.eval("host()")).getMessage());
            assertEquals("<eval>:1:1: host function silent() failed",
                    assertThrows(CnnException.class, () -> engine.eval("silent()")).getMessage());
            assertEquals(2L, engine.eval("1 + 1"));
        }
    }
}

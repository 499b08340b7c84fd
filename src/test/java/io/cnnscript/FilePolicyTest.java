package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cnnscript.error.CnnException;
import io.cnnscript.interp.FilePolicy;
import io.cnnscript.interp.Interpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripts reach only the files their engine allows. */
class FilePolicyTest {

    @Test
    void noneRefusesEverything() {
        CnnException e = assertThrows(CnnException.class, () -> FilePolicy.none().check(Path.of("a.params"), true));
        assertEquals("file access is off in this engine (the application did not allow it): a.params", e.getMessage());
    }

    @Test
    void underAllowsInsideAndRefusesEscapes(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.createSymbolicLink(root.resolve("link"), outside);
        Interpreter.PathPolicy p = FilePolicy.under(List.of(root));
        assertEquals(root.toRealPath().resolve("net.params"), p.check(Path.of("net.params"), true));
        assertEquals(root.toRealPath().resolve("runs/a/x"), p.check(Path.of("runs/a/x"), true));
        for (String bad : List.of("../outside/x", outside.resolve("x").toString(), "link/x", "runs/../../x")) {
            CnnException e = assertThrows(CnnException.class, () -> p.check(Path.of(bad), true), bad);
            assertEquals(true, e.getMessage().startsWith("the path " + bad + " is outside the folders"), e.getMessage());
        }
    }

    @Test
    void aLinkedFileIsCheckedWhereItLeadsAndTheRealPathIsReturned(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "s");
        Files.writeString(root.resolve("real.csv"), "r");
        Files.createDirectory(root.resolve("r"));
        Files.createSymbolicLink(root.resolve("r/metrics.csv"), outside.resolve("secret"));
        Files.createSymbolicLink(root.resolve("inside.csv"), root.resolve("real.csv"));
        Interpreter.PathPolicy p = FilePolicy.under(List.of(root));
        CnnException e = assertThrows(CnnException.class, () -> p.check(Path.of("r/metrics.csv"), false));
        assertEquals(true, e.getMessage().startsWith("the path r/metrics.csv is outside the folders"), e.getMessage());
        assertEquals(root.toRealPath().resolve("real.csv"), p.check(Path.of("inside.csv"), false));
        e = assertThrows(CnnException.class, () -> p.check(Path.of(""), true));
        assertEquals("the path is empty; give a file or folder name", e.getMessage());
    }
}

package io.cnnscript.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An engine with {@code allowFiles(root)} under attack by a script that controls only its text:
 * every file opened is checked where it really is, and errors never show a file's contents.
 */
class EmbedderFilesTest {

    private static final String SECRET = "TOP SECRET: the host's own file";

    /** A folder {@code root} the engine may use, beside a folder with a secret it may not. */
    private static Path[] rootAndSecret(Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret"), SECRET);
        return new Path[] {root, secret};
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void aDataFileLinkedOutOfTheRootIsNotRead(@TempDir Path dir) throws Exception {
        Path[] rs = rootAndSecret(dir);
        Path d = Files.createDirectory(rs[0].resolve("d"));
        Files.createSymbolicLink(d.resolve("train-images-idx3-ubyte"), rs[1]);
        for (String f : new String[] {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            Files.writeString(d.resolve(f), "x");
        }
        try (CnnEngine engine = CnnEngine.builder().allowFiles(rs[0]).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("fashion_mnist(data_dir='d')"));
            assertEquals("<eval>:1:1: fashion_mnist(): train-images-idx3-ubyte is a link to a file outside the "
                    + "folders this engine may use; it was not read", e.getMessage());
        }
    }

    @Test
    void aMetricsFileLinkedOutOfTheRootIsNotPlotted(@TempDir Path dir) throws Exception {
        Path[] rs = rootAndSecret(dir);
        Path r = Files.createDirectory(rs[0].resolve("r"));
        Files.createSymbolicLink(r.resolve("metrics.csv"), rs[1]);
        try (CnnEngine engine = CnnEngine.builder().allowFiles(rs[0]).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("plot('r', 'p.png')"));
            assertEquals("<eval>:1:1: the path r/metrics.csv is outside the folders this engine may use",
                    e.getMessage());
            assertFalse(Files.exists(rs[0].resolve("p.png")));
        }
    }

    @Test
    void aFileThatCannotBeParsedIsNotEchoed(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path r = Files.createDirectory(root.resolve("r"));
        Files.writeString(r.resolve("metrics.csv"), "epoch,train_loss,train_acc,test_acc,seconds\n1,"
                + SECRET + ",1,1,1\n", StandardCharsets.UTF_8);
        Path d = Files.createDirectory(root.resolve("d"));
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte"}) {
            Files.writeString(d.resolve(f), SECRET);
        }
        try (CnnEngine engine = CnnEngine.builder().allowFiles(root).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("plot('r', 'p.png')"));
            assertEquals("plot(): r/metrics.csv:2: not a number in column 2", e.detail());
            e = assertThrows(CnnException.class, () -> engine.eval("fashion_mnist(data_dir='d')"));
            assertEquals("fashion_mnist(): d/train-images-idx3-ubyte: bad magic number, expected 0x00000803 (IDX unsigned-byte images with 3 dimensions)", e.detail());
        }
    }

    @Test
    void anEmptyPathWritesNothingAnywhere(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        try (CnnEngine engine = CnnEngine.builder().allowFiles(root).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("save(Linear(2, 2), '')"));
            assertEquals("<eval>:1:1: the path is empty; give a file or folder name", e.getMessage());
            e = assertThrows(CnnException.class, () -> engine.eval("plot('r', '')"));
            assertEquals("<eval>:1:1: the path is empty; give a file or folder name", e.getMessage());
            e = assertThrows(CnnException.class, () -> engine.eval("save(Linear(2, 2), '.')"));
            assertEquals("<eval>:1:1: save(): . is a folder; give a file name such as 'net.params'", e.getMessage());
            engine.eval("save(Linear(2, 2), 'sub/net.params')");
        }
        assertEquals(List.of("", "root", "root/sub", "root/sub/net.params"), listing(dir),
                "no temporary file in the root's parent, none left in the root");
    }

    @Test
    void aPlotOverAFolderIsRefused(@TempDir Path dir) throws Exception {
        Path root = Files.createDirectory(dir.resolve("root"));
        Path r = Files.createDirectory(root.resolve("r"));
        Files.writeString(r.resolve("metrics.csv"), "epoch,train_loss,train_acc,test_acc,seconds\n1,0.5,0.5,0.5,1\n");
        Path png = Files.createDirectory(root.resolve("out.png"));
        try (CnnEngine engine = CnnEngine.builder().allowFiles(root).build()) {
            CnnException e = assertThrows(CnnException.class, () -> engine.eval("plot('r', 'out.png')"));
            assertEquals("<eval>:1:1: plot(): out.png: cannot write: it is a folder, not a file", e.getMessage());
            assertTrue(Files.isDirectory(png));
        }
        assertEquals(List.of("", "out.png", "r", "r/metrics.csv"), listing(root));
    }

    /** eval(Path) and compile(Path) name the file as the host gave it and say why in words, not an IOException's text. */
    @Test
    void aScriptFileThatCannotBeReadIsNamedAsGivenWithTheReasonInWords(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("latin1.cnn"), new byte[] {'x', ' ', '=', ' ', '\'', (byte) 0xe9, '\''});
        try (CnnEngine engine = CnnEngine.builder().build()) {
            Path missing = dir.resolve("nope.cnn");
            assertEquals(missing + ": no such file", assertThrows(CnnException.class, () -> engine.eval(missing)).getMessage());
            assertEquals(dir + ": cannot read it: it is a folder, not a file",
                    assertThrows(CnnException.class, () -> engine.eval(dir)).getMessage());
            assertEquals(dir + ": cannot read it: it is a folder, not a file",
                    assertThrows(CnnException.class, () -> engine.compile(dir)).getMessage());
            Path latin1 = dir.resolve("latin1.cnn");
            assertEquals(latin1 + ": cannot read it: it is not UTF-8 text",
                    assertThrows(CnnException.class, () -> engine.eval(latin1)).getMessage());
            Path relative = Path.of("no-such-folder-here", "s.cnn");
            assertEquals("no-such-folder-here/s.cnn: no such file",
                    assertThrows(CnnException.class, () -> engine.eval(relative)).getMessage());
        }
    }
}

package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import io.cnnscript.api.CnnEngine;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch's .pt files both ways. The fixtures under resources/io/cnnscript/nn/torch were written
 * by PyTorch 1.13 (make_fixtures.py there says how), so the load tests run without PyTorch; the
 * tests marked "live" call Debian's PyTorch at /usr/bin/python3 and are skipped where it is missing.
 */
class TorchFileTest {

    private static final String PYTHON = "/usr/bin/python3";

    /** The fixtures' networks, as cnnscript builds them. */
    private static final String FLAT = "Conv(1, 2, 3) >> Sigmoid >> MaxPool(2, 2) >> Flatten >> Linear(8, 3)";

    @TempDir
    Path tmp;

    private Path fx;

    private static String path(Path p) {
        return p.toString().replace("\\", "/");
    }

    /** Copies the fixtures into the temporary folder, so that tests read them as files. */
    @BeforeEach
    void copyFixtures() throws IOException {
        fx = tmp.resolve("fixtures");
        Files.createDirectories(fx);
        for (String name : List.of("x.pt", "flat.pt", "flat-legacy.pt", "flat-y.pt", "flat-float64.pt", "bn.pt",
                "bn-y.pt", "transposed.pt", "int64.pt", "whole-model.pt", "os-system.pt")) {
            try (InputStream in = getClass().getResourceAsStream("torch/" + name)) {
                Files.write(fx.resolve(name), in.readAllBytes());
            }
        }
    }

    private String f(String name) {
        return path(fx.resolve(name));
    }

    /** Loads a fixture state_dict into the flat net and prints the largest difference from PyTorch's output. */
    private String flatOutputDiff(String file) {
        return Scripts.run("""
                net = %s
                load(net, "%s")
                X = load("%s")
                print((net(X) - load("%s")).abs().max().item() < 0.000001)
                """.formatted(FLAT, f(file), f("x.pt"), f("flat-y.pt")));
    }

    @Test
    void loadsWhatPyTorchWroteInTheZipAndLegacyFormats() {
        assertEquals("true\n", flatOutputDiff("flat.pt"));
        assertEquals("true\n", flatOutputDiff("flat-legacy.pt"));
    }

    /** The fixture net with BatchNorm, after two training steps in PyTorch. */
    private static final String BN = "Conv(1, 2, 3) >> BatchNorm(2) >> Sigmoid >> MaxPool(2, 2) >> Flatten >> Linear(8, 3)";

    @Test
    void batchNormBuffersLoadWithTheirDtypesAndRoundTrip() {
        String saved = path(tmp.resolve("bn-again.pt"));
        assertEquals("""
                1.num_batches_tracked int64 2
                1.running_mean float32 (2,)
                true
                true
                """, Scripts.run("""
                net = %s
                load(net, "%s")
                print("1.num_batches_tracked", net[1].num_batches_tracked.dtype, net[1].num_batches_tracked.item())
                print("1.running_mean", net[1].running_mean.dtype, net[1].running_mean.shape)
                net.eval()
                X = load("%s")
                print((net(X) - load("%s")).abs().max().item() < 0.000001)
                save(net, "%s")
                net2 = %s
                load(net2, "%s")
                net2.eval()
                print((net2(X) - net(X)).abs().max().item() == 0)
                """.formatted(BN, f("bn.pt"), f("x.pt"), f("bn-y.pt"), saved, BN, saved)));
    }

    @Test
    void float64WeightsAreConvertedIntoFloat32LayersAsLoadStateDictCopies() {
        assertEquals("true\n", flatOutputDiff("flat-float64.pt"));
        assertEquals("float32\n", Scripts.run("net = %s\nload(net, \"%s\")\nprint(net.parameters()[0].dtype)"
                .formatted(FLAT, f("flat-float64.pt"))));
    }

    @Test
    void singleTensorsIncludingStridedViewsAndInt64() {
        assertEquals("""
                tensor([[ 0.,  4.,  8.],
                        [ 1.,  5.,  9.],
                        [ 2.,  6., 10.],
                        [ 3.,  7., 11.]], dtype=torch.float64)
                tensor([[ 1, -2],
                        [ 3,  4]])
                """, Scripts.run("print(load(\"%s\"))\nprint(load(\"%s\"))".formatted(f("transposed.pt"), f("int64.pt"))));
        String file = path(tmp.resolve("out/t.pt"));
        assertEquals("true\ntrue\n", Scripts.run("""
                X = load("%s")
                save(X, "%s")
                Y = load("%s")
                print(Y.dtype == X.dtype)
                print((Y - X).abs().max().item() == 0)
                """.formatted(f("transposed.pt"), file, file)));
    }

    @Test
    void hostilePicklesAreRefusedAndNothingRuns() throws IOException {
        Path marker = tmp.resolve("pwned");
        // The same hostile pickle, but one that would leave a mark if it ran.
        byte[] pkl = ("\u0080\u0002cos\nsystem\nX" + "").getBytes(StandardCharsets.ISO_8859_1);
        String cmd = "touch " + path(marker);
        byte[] arg = cmd.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(pkl);
        b.write(new byte[] {(byte) arg.length, 0, 0, 0});
        b.write(arg);
        b.write(new byte[] {(byte) 0x85, 'R', '.'});
        Path touch = tmp.resolve("touch.pt");
        zip(touch, "archive/data.pkl", b.toByteArray());

        CnnException e = fails("net = %s\nX = load(\"%s\")\nprint(1)\nload(net, \"%s\")".formatted(FLAT, f("x.pt"),
                f("os-system.pt")));
        assertEquals(4, e.line());
        assertEquals("load(): " + f("os-system.pt") + " is refused: its pickle names os.system, and a weights file may "
                + "only name what a state_dict needs (collections.OrderedDict, torch._utils._rebuild_tensor_v2, "
                + "torch._utils._rebuild_parameter and the storage types); nothing in it was run", e.detail());
        e = fails("X = load(\"%s\")".formatted(path(touch)));
        assertTrue(e.detail().contains("its pickle names os.system"), e.detail());
        assertFalse(Files.exists(marker));

        e = fails("net = %s\nload(net, \"%s\")".formatted(FLAT, f("whole-model.pt")));
        assertEquals("load(): " + f("whole-model.pt") + " is refused: it holds a whole pickled model "
                + "(torch.nn.modules.container.Sequential), not a state_dict: in PyTorch, save the weights with "
                + "torch.save(net.state_dict(), path) and load that file", e.detail());
        assertEquals(2, e.line());
    }

    @Test
    void badFilesLeaveTheNetworkAsItWas() throws IOException {
        byte[] good = Files.readAllBytes(fx.resolve("flat.pt"));
        Files.write(tmp.resolve("truncated.pt"), Arrays.copyOf(good, good.length / 2));
        zip(tmp.resolve("garbage.pt"), "archive/data.pkl", new byte[] {(byte) 0x80, 2, 'c', 'x'});
        zip(tmp.resolve("nopickle.pt"), "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(tmp.resolve("text.pt"), "hello");

        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true))) {
            in.eval("seed(4)\nnet = %s\nX = load(\"%s\")\na = net(X)\n".formatted(FLAT, f("x.pt")), "t.cnn", false);
            assertEquals("load(): " + path(tmp.resolve("truncated.pt")) + " is damaged or truncated: not a complete "
                    + "zip archive", loadFails(in, "net", tmp.resolve("truncated.pt")).detail());
            assertEquals("load(): " + path(tmp.resolve("garbage.pt")) + " is damaged or truncated (premature end of file)",
                    loadFails(in, "net", tmp.resolve("garbage.pt")).detail());
            assertEquals("load(): " + path(tmp.resolve("nopickle.pt")) + " is a zip archive but not a PyTorch file "
                    + "(it has no archive/data.pkl)", loadFails(in, "net", tmp.resolve("nopickle.pt")).detail());
            assertTrue(loadFails(in, "net", tmp.resolve("text.pt")).detail().endsWith("is not a PyTorch file (neither the "
                    + "zip format of torch.save nor the legacy one); cnnscript's own files end in another extension, "
                    + "e.g. .params"));
            assertEquals("load(): no such file: " + path(tmp.resolve("none.pt")),
                    loadFails(in, "net", tmp.resolve("none.pt")).detail());

            // Another network: every missing, extra and mismatched entry is named.
            in.eval("other = Conv(1, 3, 3) >> Sigmoid >> Linear(8, 3) >> Linear(3, 3)", "t.cnn", false);
            CnnException e = loadFails(in, "other", fx.resolve("flat.pt"));
            assertEquals("load(): " + f("flat.pt") + " does not fit this network (nothing was changed): missing from "
                    + "the file: 2.weight, 2.bias, 3.weight, 3.bias; in the file but not in the network: 4.weight, 4.bias; "
                    + "different: 0.weight is (2, 1, 3, 3) in the file and (3, 1, 3, 3) in the network; 0.bias is (2,) "
                    + "in the file and (3,) in the network", e.detail());
            assertEquals(2, e.line());
            e = loadFails(in, "net", fx.resolve("int64.pt"));
            assertEquals("load(): " + f("int64.pt") + " holds one tensor, not a state_dict: read it with X = load(path)",
                    e.detail());
            in.eval("print((net(X) - a).abs().max().item())", "t.cnn", false);
        }
        assertEquals("0.0\n", out.toString());
        CnnException e = fails("X = load(\"%s\")".formatted(f("flat.pt")));
        assertEquals("load(): " + f("flat.pt") + " holds a state_dict of 4 tensors, not one tensor: load it into a "
                + "network with load(net, path)", e.detail());
        e = fails("save(ones(2), \"%s\")".formatted(path(tmp.resolve("x.params"))));
        assertEquals("save(): a single tensor is saved in PyTorch's format: give a path ending in .pt or .pth, e.g. "
                + "save(X, \"x.pt\")", e.detail());
    }

    @Test
    void pathsOutsideTheAllowedFolderAreRefused() throws IOException {
        Path root = tmp.resolve("root");
        Files.createDirectories(root);
        try (CnnEngine engine = CnnEngine.builder().allowFiles(root).build()) {
            engine.eval("save(ones(2, 3), \"in.pt\")");
            assertTrue(Files.exists(root.resolve("in.pt")));
            engine.eval("X = load(\"in.pt\")");
            CnnException e = assertThrowsCnn(() -> engine.eval("Y = load(\"../fixtures/x.pt\")"));
            assertTrue(e.detail().startsWith("the path ../fixtures/x.pt is outside the folders"), e.detail());
            e = assertThrowsCnn(() -> engine.eval("save(X, \"../out.pt\")"));
            assertTrue(e.detail().startsWith("the path ../out.pt is outside the folders"), e.detail());
        }
        assertFalse(Files.exists(tmp.resolve("out.pt")));
    }

    @Test
    void writerAndReaderAgreeOnLargeAndOddShapes() throws Exception {
        long[][] shapes = {{}, {0}, {3, 70000}, {1, 2, 3, 4, 5}, {300, 1, 1}};
        List<String> names = List.of("a", "b.c", "ü", "d", "e");
        List<TorchPickleWriter.TensorRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            records.add(new TorchPickleWriter.TensorRecord(Integer.toString(i), "FloatStorage", shapes[i]));
        }
        TorchPickleReader reader = new TorchPickleReader(TorchPickleWriter.stateDict(names, records));
        java.util.Map<String, TorchPickleReader.TensorRef> sd = TorchPickleReader.stateDict(reader.read());
        assertEquals(names, List.copyOf(sd.keySet()));
        for (int i = 0; i < shapes.length; i++) {
            TorchPickleReader.TensorRef t = sd.get(names.get(i));
            assertArrayEquals(shapes[i], t.size());
            assertEquals(TorchPickleWriter.numel(shapes[i]), t.storage().numel());
        }
        assertArrayEquals(new long[] {70000, 1}, sd.get("ü").stride());
    }

    // ------------------------------------------------------------------ live, with PyTorch

    private static boolean torchAvailable() {
        try {
            return python("import torch").isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    private static String python(String code) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", code).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python timed out");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** int16 and bfloat16 tensors abort the process inside the tensor engine: load refuses them before. */
    @Test
    void liveInt16AndBfloat16FilesAreRefusedNotACrash() throws Exception {
        assumeTrue(torchAvailable(), "PyTorch is not installed at " + PYTHON);
        assertEquals("", python("""
                import torch
                torch.save(torch.tensor([1, 2], dtype=torch.int16), "%s")
                torch.save({"w": torch.tensor([1.5], dtype=torch.bfloat16)}, "%s")
                """.formatted(path(tmp.resolve("i16.pt")), path(tmp.resolve("bf16.pt")))));
        CnnException e = assertThrows(CnnException.class, () -> Scripts.run("x = load(\"" + path(tmp.resolve("i16.pt"))
                + "\")"));
        assertEquals("load(): " + path(tmp.resolve("i16.pt")) + " is refused: it holds an int16 tensor, and cnnscript has "
                + "no int16: in PyTorch, convert it (.int() or .float()) before saving", e.detail());
        e = assertThrows(CnnException.class, () -> Scripts.run("net = Linear(1, 1)\nload(net, \""
                + path(tmp.resolve("bf16.pt")) + "\")"));
        assertTrue(e.detail().endsWith("is refused: it holds a bfloat16 tensor, and cnnscript has no bfloat16: in "
                + "PyTorch, convert it (.int() or .float()) before saving"), e.detail());
    }

    private static final String TORCH_LENET = """
            import torch
            from torch import nn
            net = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2), nn.Conv2d(6, 16, 5), nn.Sigmoid(),
                                nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(256, 120), nn.Sigmoid(), nn.Linear(120, 84),
                                nn.Sigmoid(), nn.Linear(84, 10))
            """;

    @Test
    void liveFlatLeNetFromCnnscriptToPyTorch() throws Exception {
        assumeTrue(torchAvailable(), "PyTorch is not installed at " + PYTHON);
        Scripts.run("seed(7)\n" + Scripts.LENET + """
                X = rand(3, 1, 28, 28)
                save(net, "%s")
                save(X, "%s")
                save(net(X), "%s")
                """.formatted(path(tmp.resolve("lenet.pt")), path(tmp.resolve("x.pt")), path(tmp.resolve("y.pt"))));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("fixtures", "lenet.pt", "x.pt", "y.pt"), s.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no temporary files are left");
        }
        String out = python(TORCH_LENET + """
                sd = torch.load("%s", weights_only=True)
                print(type(sd).__name__, list(sd)[0], list(sd)[-1], len(sd))
                print(net.load_state_dict(sd, strict=True))
                X = torch.load("%s"); Y = torch.load("%s")
                print(X.dtype, tuple(X.shape), bool((net(X) - Y).abs().max() < 1e-6))
                """.formatted(path(tmp.resolve("lenet.pt")), path(tmp.resolve("x.pt")), path(tmp.resolve("y.pt"))));
        assertEquals("OrderedDict 0.weight 11.bias 10\n<All keys matched successfully>\ntorch.float32 (3, 1, 28, 28) True\n",
                out);
    }

    @Test
    void liveFlatLeNetFromPyTorchToCnnscript() throws Exception {
        assumeTrue(torchAvailable(), "PyTorch is not installed at " + PYTHON);
        assertEquals("", python(TORCH_LENET + """
                torch.manual_seed(11)
                net = net
                X = torch.rand(3, 1, 28, 28)
                torch.save(net.state_dict(), "%s")
                torch.save(X, "%s")
                torch.save(net(X).detach(), "%s")
                """.formatted(path(tmp.resolve("lenet.pt")), path(tmp.resolve("x.pt")), path(tmp.resolve("y.pt")))));
        assertEquals("true\n", Scripts.run(Scripts.LENET + """
                load(net, "%s")
                print((net(load("%s")) - load("%s")).abs().max().item() < 0.000001)
                """.formatted(path(tmp.resolve("lenet.pt")), path(tmp.resolve("x.pt")), path(tmp.resolve("y.pt")))));
    }

    private static final String TORCH_BN = """
            import torch
            from torch import nn
            net = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Sigmoid(), nn.MaxPool2d(2, 2), nn.Flatten(),
                                nn.Linear(8, 3))
            """;

    @Test
    void liveBatchNormRunningStatsAndNumBatchesTrackedToPyTorch() throws Exception {
        assumeTrue(torchAvailable(), "PyTorch is not installed at " + PYTHON);
        Scripts.run("seed(3)\nnet = " + BN + """

                X = rand(4, 1, 6, 6)
                for i in range(3) { y = net(X) }
                net.eval()
                save(net, "%s")
                save(X, "%s")
                save(net(X), "%s")
                """.formatted(path(tmp.resolve("bn.pt")), path(tmp.resolve("x.pt")), path(tmp.resolve("y.pt"))));
        String out = python(TORCH_BN + """
                sd = torch.load("%s", weights_only=True)
                print(sd["1.num_batches_tracked"].dtype, sd["1.num_batches_tracked"].item(), sd["1.running_var"].dtype)
                print(net.load_state_dict(sd, strict=True))
                net.eval()
                print(bool((net(torch.load("%s")) - torch.load("%s")).abs().max() < 1e-6))
                """.formatted(path(tmp.resolve("bn.pt")), path(tmp.resolve("x.pt")), path(tmp.resolve("y.pt"))));
        assertEquals("torch.int64 3 torch.float32\n<All keys matched successfully>\nTrue\n", out);
    }

    private static final String CLASS_LENET = """
            layer LeNet() {
                conv = Sequential(Conv(1, 6, 5), Sigmoid, MaxPool(2, 2), Conv(6, 16, 5), Sigmoid, MaxPool(2, 2))
                fc = Sequential(Linear(16*4*4, 120), Sigmoid, Linear(120, 84), Sigmoid, Linear(84, 10))
                forward(img) { return fc(conv(img).reshape(img.shape[0], -1)) }
            }
            net = LeNet()
            """;

    /** The notebook's class LeNet, word for word. */
    private static final String TORCH_CLASS_LENET = """
            import torch
            from torch import nn
            class LeNet(nn.Module):
                def __init__(self):
                    super(LeNet, self).__init__()
                    self.conv = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2),
                                              nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2))
                    self.fc = nn.Sequential(nn.Linear(16*4*4, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(),
                                            nn.Linear(84, 10))
                def forward(self, img):
                    feature = self.conv(img)
                    return self.fc(feature.view(img.shape[0], -1))
            net = LeNet()
            """;

    @Test
    void liveClassLeNetBothWays() throws Exception {
        assumeTrue(torchAvailable(), "PyTorch is not installed at " + PYTHON);
        Path ours = tmp.resolve("ours.pt");
        Path theirs = tmp.resolve("theirs.pt");
        Path x = tmp.resolve("x.pt");
        Path y = tmp.resolve("y.pt");
        Path ty = tmp.resolve("ty.pt");
        Scripts.run("seed(5)\n" + CLASS_LENET + """
                X = rand(2, 1, 28, 28)
                save(net, "%s")
                save(X, "%s")
                save(net(X), "%s")
                """.formatted(path(ours), path(x), path(y)));
        String out = python(TORCH_CLASS_LENET + """
                sd = torch.load("%s", weights_only=True)
                print(list(sd)[0], list(sd)[-1])
                print(net.load_state_dict(sd, strict=True))
                X = torch.load("%s")
                print(bool((net(X) - torch.load("%s")).abs().max() < 1e-6))
                torch.manual_seed(8)
                net = LeNet()
                torch.save(net.state_dict(), "%s")
                torch.save(net(X).detach(), "%s")
                """.formatted(path(ours), path(x), path(y), path(theirs), path(ty)));
        assertEquals("conv.0.weight fc.4.bias\n<All keys matched successfully>\nTrue\n", out);
        assertEquals("true\n", Scripts.run(CLASS_LENET + """
                load(net, "%s")
                print((net(load("%s")) - load("%s")).abs().max().item() < 0.000001)
                """.formatted(path(theirs), path(x), path(ty))));
    }

    // ------------------------------------------------------------------ helpers

    private static void zip(Path file, String name, byte[] data) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry(name));
            z.write(data);
            z.closeEntry();
        }
    }

    private static CnnException fails(String src) {
        return Scripts.fail(src);
    }

    private static CnnException loadFails(Interpreter in, String net, Path file) {
        try {
            in.eval("\nload(" + net + ", \"" + path(file) + "\")", "t.cnn", false);
        } catch (CnnException e) {
            return e;
        }
        throw new AssertionError("load succeeded: " + file);
    }

    private static CnnException assertThrowsCnn(Runnable r) {
        try {
            r.run();
        } catch (CnnException e) {
            return e;
        }
        throw new AssertionError("no error");
    }
}

package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {

    @TempDir
    Path tmp;

    private static String path(Path p) {
        return p.toString().replace("\\", "/");
    }

    private static final Pattern EPOCH = Pattern.compile(
            "epoch (\\d+), loss (\\d+\\.\\d{4}), train acc (\\d\\.\\d{3}), test acc (\\d\\.\\d{3}), time \\d+\\.\\d sec");

    private static List<Double> losses(String out) {
        List<Double> l = new ArrayList<>();
        Matcher m = EPOCH.matcher(out);
        while (m.find()) {
            l.add(Double.parseDouble(m.group(2)));
        }
        return l;
    }

    /** examples/08-lenet-quick.cnn, whole output compared with the time masked. */
    @Test
    void quickLeNetExampleGolden() throws IOException {
        String src = Files.readString(Path.of("examples/08-lenet-quick.cnn"));
        String out = Scripts.run(src).replaceAll("time \\d+\\.\\d sec", "time X sec");
        String expected;
        try (InputStream in = getClass().getResourceAsStream("08-lenet-quick.expected")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(expected, out);
    }

    @Test
    void trainingLowersTheLossAndLogs() throws IOException {
        Path log = tmp.resolve("runs/lenet");
        String out = Scripts.run("seed(5)\n" + Scripts.LENET.replace("Sigmoid", "ReLU") + """
                train_iter, test_iter = fashion_mnist(batch_size=128, sample=true)
                train(net, train_iter, test_iter, epochs=3, optimizer=Adam(lr=0.003), log="%s")
                print(evaluate(net, test_iter) > 0.5)
                plot("%s", "%s")
                """.formatted(path(log), path(log), path(tmp.resolve("curves.png"))));
        List<Double> l = losses(out);
        assertEquals(3, l.size(), out);
        assertTrue(l.get(2) < l.get(0) - 0.3, out);
        assertTrue(out.startsWith("training on cpu\n"), out);
        assertTrue(out.endsWith("true\n"), out);

        Path events;
        try (Stream<Path> s = Files.list(log)) {
            events = s.filter(p -> p.getFileName().toString().contains("tfevents")).findFirst().orElseThrow();
        }
        List<EventFileWriterTest.Event> ev = EventFileWriterTest.decode(Files.readAllBytes(events));
        assertEquals("brain.Event:2", ev.get(0).fileVersion());
        List<String> tags = new ArrayList<>();
        for (EventFileWriterTest.Event e : ev.subList(1, ev.size())) {
            tags.add(e.step() + " " + e.tags().get(0));
        }
        assertEquals(List.of("1 Train Loss", "1 Train Accuracy", "1 Test Accuracy", "2 Train Loss",
                "2 Train Accuracy", "2 Test Accuracy", "3 Train Loss", "3 Train Accuracy", "3 Test Accuracy"), tags);
        assertEquals(l.get(0), ev.get(1).values().get(0), 1e-4);
        List<MetricsCsv.Row> rows = MetricsCsv.read(log.resolve("metrics.csv"));
        assertEquals(3, rows.size());
        assertTrue(Files.size(tmp.resolve("curves.png")) > 1000);
    }

    @Test
    void dataLoadsThroughTheBuiltIn() {
        String out = Scripts.run("""
                train_iter, test_iter = fashion_mnist(batch_size=100, sample=true)
                n = 0
                for X, y in train_iter {
                    n = n + 1
                    if n == 1 { print(X.shape, X.dtype, y.shape, y.dtype, X.min().item() >= 0, X.max().item() <= 1) }
                }
                print(n, train_iter.size, test_iter.size, train_iter.num_batches)
                """);
        assertEquals("(100, 1, 28, 28) float32 (100,) int64 true true\n30 3000 1000 30\n", out);
    }

    @Test
    void realDataWhenInstalled() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.exists(FashionMnist.SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz")), "no system data set");
        String out = Scripts.run("""
                train_iter, test_iter = fashion_mnist(batch_size=256, data_dir="%s")
                print(train_iter.size, test_iter.size, train_iter.num_batches)
                """.formatted(FashionMnist.SYSTEM_DIR));
        assertEquals("60000 10000 235\n", out);
    }

    @Test
    void corruptDataFileNamesTheFile() throws IOException {
        for (String f : FashionMnist.FILES) {
            Files.write(tmp.resolve(f + ".gz"), new byte[] {31, -117, 8, 0, 1, 2, 3});
        }
        CnnException e = Scripts.fail("fashion_mnist(data_dir=\"%s\")".formatted(path(tmp)));
        assertTrue(e.detail().startsWith("fashion_mnist(): "), e.detail());
        assertTrue(e.detail().contains("-idx"), e.detail());
        assertEquals(1, e.line());
    }

    @Test
    void userLayerComposesPrintsAndTrainsByHand() {
        String out = Scripts.run("""
                seed(0)
                layer Conv2D(kernel_size) {
                    weight = param(randn(kernel_size))
                    bias = param(randn(1))
                    forward(x) { return corr2d(x, weight) + bias }
                }
                X = ones(6, 8)
                X[:, 2:6] = 0
                Y = corr2d(X, tensor[[1, -1]])
                conv2d = Conv2D((1, 2))
                print(conv2d >> Sigmoid)
                opt = SGD(lr=0.01, params=conv2d)
                first = none
                for i in range(30) {
                    l = ((conv2d(X) - Y) ** 2).sum()
                    if first == none { first = l.item() }
                    zero_grad(conv2d)
                    backward(l)
                    step(opt)
                }
                print(l.item() < first / 10)
                print((conv2d.weight - tensor[[1.0, -1.0]]).abs().max().item() < 0.2)
                """);
        assertEquals("Sequential(\n  (0): Conv2D((1, 2))\n  (1): Sigmoid()\n)\ntrue\ntrue\n", out);
    }

    @Test
    void userLayerTrainsInsideANetworkWithTrain() {
        String out = Scripts.run("""
                seed(1)
                layer Scale(n) {
                    w = param(ones(n))
                    forward(x) { return x * w }
                }
                s = Scale(784)
                net = Flatten >> s >> Linear(784, 10)
                for name, p in net.named_parameters() { print(name, p.shape) }
                before = s.w.sum().item()
                train_iter, test_iter = fashion_mnist(batch_size=200, sample=true)
                train(net, train_iter, test_iter, epochs=2, optimizer=Adam(lr=0.01))
                print(s.w.sum().item() != before)
                """);
        assertTrue(out.startsWith("1.w (784,)\n2.weight (10, 784)\n2.bias (10,)\ntraining on cpu\n"), out);
        List<Double> l = losses(out);
        assertTrue(l.get(1) < l.get(0), out);
        assertTrue(out.endsWith("true\n"), out);
    }

    @Test
    void saveLoadRoundTripGivesIdenticalOutputs() throws IOException {
        String file = path(tmp.resolve("lenet.params"));
        String out = Scripts.run("seed(2)\n" + Scripts.LENET + """
                X = rand(4, 1, 28, 28)
                a = net(X)
                save(net, "%s")
                seed(9)
                """.formatted(file) + Scripts.LENET.replace("net =", "net2 =") + """
                print((net2(X) - a).abs().max().item() > 0)
                load(net2, "%s")
                print((net2(X) - a).abs().max().item())
                """.formatted(file));
        assertEquals("true\n0.0\n", out);
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("lenet.params"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void wrongOrCorruptFilesLeaveTheNetworkUnchanged() throws IOException {
        Path good = tmp.resolve("small.params");
        Path corrupt = tmp.resolve("corrupt.params");
        Scripts.run("seed(1)\nsave(Linear(4, 3) >> ReLU >> Linear(3, 2), \"%s\")".formatted(path(good)));
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length / 2] ^= 1;
        Files.write(corrupt, bytes);
        Files.write(tmp.resolve("short.params"), java.util.Arrays.copyOf(bytes, 20));

        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true))) {
            io.cnnscript.TestFiles.confine(in);
            in.eval("seed(4)\nnet = Linear(4, 5) >> ReLU >> Linear(5, 2)\nX = rand(3, 4)\na = net(X)\n", "t.cnn", false);
            CnnException e = loadFails(in, good);
            assertEquals("load(): " + path(good) + " does not fit this network (it was saved from another one): "
                    + "shapes differ: 0.weight is (3, 4) in the file, (5, 4) in the network; 0.bias is (3,) in the file, "
                    + "(5,) in the network; 2.weight is (2, 3) in the file, (2, 5) in the network; the network is "
                    + "unchanged", e.detail());
            assertEquals(2, e.line());
            e = loadFails(in, corrupt);
            assertEquals("load(): " + path(corrupt) + " is not a cnnscript parameters file, or it is damaged "
                    + "(checksum mismatch)", e.detail());
            e = loadFails(in, tmp.resolve("short.params"));
            assertTrue(e.detail().contains("is not a cnnscript parameters file"), e.detail());
            e = loadFails(in, tmp.resolve("missing.params"));
            assertTrue(e.detail().startsWith("load(): no such file"), e.detail());
            in.eval("print((net(X) - a).abs().max().item())", "t.cnn", false);
        }
        assertEquals("0.0\n", out.toString());
    }

    private static CnnException loadFails(Interpreter in, Path file) {
        try {
            in.eval("\nload(net, \"" + path(file) + "\")", "t.cnn", false);
        } catch (CnnException e) {
            return e;
        }
        throw new AssertionError("load succeeded: " + file);
    }

    @Test
    void optimizersLossesAndDevices() {
        String out = Scripts.run("""
                print(Adam(lr=0.001))
                print(SGD(lr=0.1, momentum=0.9))
                seed(0)
                net = Linear(3, 1)
                X = rand(16, 3)
                y = X.sum(dim=1, keepdim=true)
                opt = SGD(lr=0.1, momentum=0.5, params=net)
                first = MSE(net(X), y).item()
                for i in range(50) {
                    l = MSE(net(X), y)
                    zero_grad(net)
                    backward(l)
                    step(opt)
                }
                print(MSE(net(X), y).item() < first / 10)
                """);
        assertEquals("Adam(lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0)\n"
                + "SGD(lr=0.1, momentum=0.9, weight_decay=0.0)\ntrue\n", out);
        assertTrue(Scripts.fail("step(Adam())").detail().startsWith("this optimizer is not bound"));
        assertTrue(Scripts.fail("t, s = fashion_mnist(sample=true)\ntrain(Linear(784, 10), t, s, device=\"tpu\")")
                .detail().startsWith("device must be"));
        assertEquals("CrossEntropy expects target of shape (2,) for input of shape (2, 3), got (3,)",
                Scripts.fail("CrossEntropy(rand(2, 3), tensor[0, 1, 2])").detail());
        assertFalse(Scripts.run("print(CrossEntropy(tensor[[0.0, 0.0]], tensor[1]))").isEmpty());
    }
}

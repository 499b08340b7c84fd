package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.FilePolicy;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/07-lenet.cnn as a user runs it: ten epochs of LeNet on the full Fashion-MNIST, the
 * notebook's epoch lines, test accuracy of at least 0.80 at the end, logs and parameters
 * written (the parameters as the notebook's torch.save(net.state_dict(), ...), which PyTorch reads). Needs the real data set (.ci/run installs Debian's dataset-fashion-mnist).
 */
class LenetExampleTest {

    private static final Pattern EPOCH = Pattern.compile(
            "epoch (\\d+), loss (\\d\\.\\d{4}), train acc (\\d\\.\\d{3}), test acc (\\d\\.\\d{3}), time \\d+\\.\\d sec");

    @Test
    void trainsLenetToTheNotebooksAccuracy(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "the full Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        StringWriter out = new StringWriter();
        CnnException error = null;
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out),
                new PrintWriter(new StringWriter()))) {
            in.setPathPolicy(FilePolicy.under(List.of(dir, Path.of("/usr/share/datasets"))));
            in.eval(Files.readString(Path.of("examples/07-lenet.cnn")), "examples/07-lenet.cnn", false);
        } catch (CnnException e) {
            error = e;
        }
        assertNull(error, () -> "error: " + out);
        String text = out.toString();
        assertTrue(text.startsWith("Sequential(\n  (0): Conv(1, 6, kernel_size=(5, 5), stride=(1, 1))\n"), text);
        assertTrue(text.contains("Total params: 44,426"), text);
        Matcher m = EPOCH.matcher(text);
        int epochs = 0;
        double firstLoss = 0;
        double lastLoss = 0;
        double lastTestAcc = 0;
        while (m.find()) {
            epochs++;
            assertEquals(epochs, Integer.parseInt(m.group(1)));
            lastLoss = Double.parseDouble(m.group(2));
            firstLoss = epochs == 1 ? lastLoss : firstLoss;
            lastTestAcc = Double.parseDouble(m.group(4));
        }
        assertEquals(10, epochs, text);
        assertTrue(lastLoss < firstLoss, text);
        assertTrue(lastTestAcc >= 0.80, "test accuracy at epoch 10: " + lastTestAcc);
        assertTrue(text.contains("0.weight (6, 1, 5, 5)\n0.bias (6,)\n3.weight (16, 6, 5, 5)\n"), text);
        Path saved = dir.resolve("test_data/MyFirstLeNet.pt");
        assertTrue(Files.size(saved) > 44_426 * 4, "parameters saved");
        if (Files.exists(Path.of("/usr/bin/python3"))) {
            // The notebook's own net reads it, as it reads its torch.save(net.state_dict(), ...).
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", """
                    import torch
                    from torch import nn
                    net = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2), nn.Conv2d(6, 16, 5),
                        nn.Sigmoid(), nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(256, 120), nn.Sigmoid(),
                        nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))
                    print(net.load_state_dict(torch.load(%s), strict=True))
                    """.formatted("'" + saved + "'")).redirectErrorStream(true).start();
            String py = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            if (!py.contains("No module named 'torch'")) {
                assertEquals("<All keys matched successfully>\n", py);
            }
        }
        assertTrue(Files.exists(dir.resolve("runs/lenet/metrics.csv")), "metrics written");
        assertTrue(Files.size(dir.resolve("curves.png")) > 1000, "curves drawn");
    }
}

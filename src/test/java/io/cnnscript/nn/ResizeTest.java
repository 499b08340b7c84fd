package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fashion_mnist(resize=) gives what d2l's torchvision Resize gives: Pillow's bilinear resize, pixel for pixel. */
class ResizeTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path tmp;

    @Test
    void resizedBatchesArePillowsBilinearResize() throws IOException, InterruptedException {
        FashionMnist.Split split = FashionMnist.loadSample().train().head(5);
        StringBuilder ours = new StringBuilder();
        byte[] raw = new byte[5 * FashionMnist.PIXELS];
        for (int i = 0; i < 5; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    raw[i * FashionMnist.PIXELS + r * 28 + c] = (byte) split.pixel(i, r, c);
                }
            }
        }
        for (int side : new int[] {96, 224, 20, 7}) {
            try (NDManager m = NDManager.newBaseManager()) {
                FashionMnist.Batch b = split.resized(side).batch(m, new int[] {0, 1, 2, 3, 4}, 0, 5);
                assertEquals(new Shape(5, 1, side, side), b.x().getShape());
                float[] v = b.x().toFloatArray();
                for (float f : v) {
                    ours.append(Math.round(f * 255)).append(' ');
                }
                ours.append('\n');
            }
        }
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
        Path bytes = tmp.resolve("images.bin");
        Files.write(bytes, raw);
        Path script = tmp.resolve("resize.py");
        Files.writeString(script, """
                import sys
                from PIL import Image
                data = open(sys.argv[1], 'rb').read()
                for side in (96, 224, 20, 7):
                    out = []
                    for i in range(5):
                        img = Image.frombytes('L', (28, 28), data[i * 784:(i + 1) * 784])
                        out.extend(img.resize((side, side), Image.BILINEAR).tobytes())
                    print(' '.join(str(p) for p in out) + ' ')
                """);
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), bytes.toString()).redirectErrorStream(true).start();
        String theirs = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assumeTrue(!theirs.contains("No module named 'PIL'"), "Pillow is missing");
        assertEquals(0, p.exitValue(), theirs);
        assertEquals(theirs, ours.toString());
    }
}

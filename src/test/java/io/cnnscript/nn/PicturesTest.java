package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.value.Display;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** show(): the grid it draws, where it goes, and what it refuses. */
class PicturesTest {

    private static final String STACK = "S = stack([ones(6, 8), zeros(6, 8), eye(6, 8)])\n";

    @Test
    void aStackIsAGridOfPicturesEachScaledToItsOwnRange(@TempDir Path tmp) throws Exception {
        StringWriter out = new StringWriter();
        Path png = tmp.resolve("s.png");
        try (Interpreter in = new Interpreter(ai.djl.ndarray.NDManager.newBaseManager(), new PrintWriter(out),
                new PrintWriter(new StringWriter()))) {
            in.eval(STACK + "show(S, labels=[\"ones\", \"zeros\", \"eye\"], png=\"" + png + "\")", "t.cnn", false);
        }
        assertEquals("show: 3 pictures of 6x8 in " + png + "\n", out.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        // 8 columns enlarged 14 times (to 112 pixels), a gap of 6 around each, a label row of 18
        assertEquals(6 + 3 * (112 + 6), img.getWidth());
        assertEquals(6 + 84 + 18 + 6, img.getHeight());
        int x0 = 6 + 2 * 118;
        int y0 = 6 + 18;
        assertEquals(0xFFFFFF, img.getRGB(x0, y0) & 0xFFFFFF, "eye's diagonal is its largest value: white");
        assertEquals(0x000000, img.getRGB(x0 + 14, y0) & 0xFFFFFF, "off the diagonal: black");
        assertEquals(0x000000, img.getRGB(6, y0) & 0xFFFFFF, "a constant picture is black");
    }

    @Test
    void withADisplayThePictureGoesThereAndNoFileIsWritten() throws Exception {
        StringWriter out = new StringWriter();
        List<byte[]> images = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (Interpreter in = new Interpreter(ai.djl.ndarray.NDManager.newBaseManager(), new PrintWriter(out),
                new PrintWriter(new StringWriter()))) {
            in.setDisplay(new Display() {
                @Override
                public void result(String text) {
                    texts.add("result " + text);
                }

                @Override
                public void image(byte[] png, String text) {
                    images.add(png);
                    texts.add("image " + text);
                }

                @Override
                public void progress(String text, boolean done) {
                    texts.add("progress " + text);
                }
            });
            in.eval(STACK + "show(S[2])\nS.shape", "t.cnn", true);
        }
        assertEquals("", out.toString());
        assertEquals(List.of("image <6x8 picture>", "result (3, 6, 8)"), texts);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(images.get(0)));
        assertEquals(6 + 112 + 6, img.getWidth());
        assertEquals(6 + 84 + 6, img.getHeight());
    }

    @Test
    void withoutAPathThePictureGoesToTheCnnFolder() throws Exception {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(ai.djl.ndarray.NDManager.newBaseManager(), new PrintWriter(out),
                new PrintWriter(new StringWriter()))) {
            in.eval("show(eye(3))", "t.cnn", false);
        }
        // Named as ~/.cnn/pictures/..., not by the host's home folder.
        String prefix = "show: 3x3 picture in ~/.cnn/pictures/show-";
        assertEquals(prefix, out.toString().substring(0, prefix.length()), out.toString());
        Path file = Pictures.picturesDir().resolve(out.toString().substring(prefix.length() - "show-".length()).strip());
        byte[] head = new byte[8];
        System.arraycopy(Files.readAllBytes(file), 0, head, 0, 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10}, head);
        Files.delete(file);
        assertFalse(Files.exists(file));
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        try (Interpreter in = new Interpreter(ai.djl.ndarray.NDManager.newBaseManager(),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))) {
            CnnException e = assertThrows(CnnException.class, () -> in.eval("show(ones(4))", "t.cnn", false));
            assertEquals("t.cnn:1:1: show() needs a 2-D picture (H, W), a stack (C, H, W) or a batch (B, C, H, W), "
                    + "not a tensor of shape (4,)", e.getMessage());
            e = assertThrows(CnnException.class, () -> in.eval("show(ones(2, 3, 3), labels=[1])", "t.cnn", false));
            assertEquals("t.cnn:1:1: show() got 1 label for 2 pictures", e.getMessage());
        }
    }
}

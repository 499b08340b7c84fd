package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Builtin;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.Library;
import io.cnnscript.value.Display;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Values;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * {@code show(X)}: tensors as grey-scale pictures in a grid (an image, a stack of feature maps
 * or kernels, a batch of Fashion-MNIST images with their labels), inline in Jupyter and as a
 * PNG file elsewhere. Each image is scaled from its own smallest value (black) to its largest
 * (white), as matplotlib's imshow does.
 */
public final class Pictures {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final String FAMILY = "pictures";
    /** Small images are enlarged to about this many pixels on their longer side. */
    private static final int CELL = 112;
    private static final int GAP = 6;
    private static final int LABEL = 18;
    private static final int MAX_IMAGES = 1024;

    private Pictures() {}

    static void addTo(Library.Builder lib) {
        lib.add(Builtin.lasting(FAMILY, "show(X, labels=none, cols=none, png=none)",
                "Draws X as grey-scale pictures, each scaled from its smallest value (black) to its largest (white): "
                        + "a 2-D tensor is one picture, a (C, H, W) stack (feature maps, kernels) C pictures, a batch "
                        + "(B, 1, H, W) B pictures, and (B, C, H, W) a grid of B rows of C (conv weights). labels (a "
                        + "list or a 1-D tensor, one per picture) are written above them; cols sets pictures per row. "
                        + "In Jupyter the grid shows in the cell; elsewhere it is written to png (by default a new file "
                        + "in ~/.cnn/pictures) and its path printed.",
                (rt, a) -> {
                    show(rt, a.tensor("X", "show() X"), a.get("labels"), a.get("cols"), a.get("png"));
                    return NoneValue.NONE;
                }));
    }

    /** A picture to draw: its pixels (row-major, h x w) and its label (or null). */
    record Picture(float[] pixels, int h, int w, String label) {}

    static void show(Runtime rt, NDArray x, Object labelsArg, Object colsArg, Object pngArg) {
        Shape s = x.getShape();
        int dims = s.dimension();
        if (dims < 2 || dims > 4) {
            throw new CnnException("show() needs a 2-D picture (H, W), a stack (C, H, W) or a batch (B, C, H, W), "
                    + "not a tensor of shape " + io.cnnscript.value.TensorFormat.shape(s));
        }
        int h = (int) s.get(dims - 2);
        int w = (int) s.get(dims - 1);
        long count = s.size() / Math.max(1, (long) h * w);
        if (h == 0 || w == 0 || count == 0) {
            throw new CnnException("show(): the tensor is empty (shape " + io.cnnscript.value.TensorFormat.shape(s) + ")");
        }
        if (count > MAX_IMAGES) {
            throw new CnnException("show(): " + count + " pictures are too many to draw (at most " + MAX_IMAGES
                    + "); show a slice such as X[:64]");
        }
        if ((long) h * w > 4096L * 4096) {
            throw new CnnException("show(): a " + h + "x" + w + " picture is too large to draw");
        }
        List<String> labels = labels(labelsArg, (int) count);
        int cols;
        if (!Conversions.isNone(colsArg)) {
            cols = Conversions.toInt(colsArg, "show() cols");
            if (cols <= 0) {
                throw new CnnException("show() cols must be positive, got " + cols);
            }
        } else if (dims == 4 && s.get(1) > 1) {
            cols = (int) s.get(1);
        } else {
            cols = (int) Math.min(count, 8);
        }
        float[] all;
        try (NDArray f = x.toType(DataType.FLOAT32, true)) {
            all = f.toFloatArray();
        }
        List<Picture> pictures = new ArrayList<>();
        int size = h * w;
        for (int i = 0; i < count; i++) {
            float[] p = new float[size];
            System.arraycopy(all, i * size, p, 0, size);
            pictures.add(new Picture(p, h, w, labels == null ? null : labels.get(i)));
        }
        BufferedImage image = grid(pictures, Math.min(cols, (int) count));
        String what = count == 1 ? h + "x" + w + " picture" : count + " pictures of " + h + "x" + w;
        Display display = rt.display();
        Path png = null;
        String shown = null; // the file as the script wrote it (or ~/.cnn/pictures/...), never the host's layout
        if (!Conversions.isNone(pngArg)) {
            shown = Conversions.string(pngArg, "show() png");
            png = rt.checkPath(shown, true);
        } else if (display == null) {
            Path dir;
            try {
                dir = rt.checkPath(picturesDir().toString(), true);
            } catch (CnnException refused) {
                throw new CnnException("show(): there is no display here, and this engine may not write its pictures "
                        + "folder (" + PICTURES_SHOWN + "); give png='name.png' in a folder it may use");
            }
            try {
                Files.createDirectories(dir);
                png = Files.createTempFile(dir, "show-", ".png");
            } catch (IOException e) {
                throw new CnnException("show(): cannot make a file in " + PICTURES_SHOWN + ": "
                        + io.cnnscript.lib.Errors.ioReason(e));
            }
            shown = PICTURES_SHOWN + "/" + png.getFileName();
        }
        if (png != null) {
            try {
                CurvePlot.write(image, png.toAbsolutePath());
            } catch (IOException e) {
                throw new CnnException("show(): " + shown + ": cannot write: " + io.cnnscript.lib.Errors.ioMessage(e));
            }
        }
        if (display != null) {
            display.image(encode(image), "<" + what + ">");
        } else {
            rt.out().println("show: " + what + " in " + shown);
            rt.out().flush();
        }
    }

    /** How messages name {@link #picturesDir()}. */
    static final String PICTURES_SHOWN = "~/.cnn/pictures";

    /** Where show() puts its files when not told: ~/.cnn/pictures ($HOME first, as the file policy reads it). */
    static Path picturesDir() {
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cnn", "pictures");
    }

    private static List<String> labels(Object arg, int count) {
        if (Conversions.isNone(arg)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (arg instanceof NDArray t) {
            if (t.getShape().dimension() != 1) {
                throw new CnnException("show() labels must be a list or a 1-D tensor, not a tensor of shape "
                        + io.cnnscript.value.TensorFormat.shape(t.getShape()));
            }
            try (NDArray d = t.toType(DataType.FLOAT64, true)) {
                for (double v : d.toDoubleArray()) {
                    out.add(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                            : String.format(Locale.ROOT, "%.4g", v));
                }
            }
        } else {
            for (Object o : Conversions.sequence(arg, "show() labels")) {
                out.add(Values.str(o));
            }
        }
        if (out.size() != count) {
            throw new CnnException("show() got " + out.size() + " label" + (out.size() == 1 ? "" : "s") + " for "
                    + count + " picture" + (count == 1 ? "" : "s"));
        }
        return out;
    }

    /** The pictures in rows of cols, each enlarged to about CELL pixels, labels above them. */
    static BufferedImage grid(List<Picture> pictures, int cols) {
        Picture first = pictures.get(0);
        int scale = Math.max(1, Math.min(56, Math.round((float) CELL / Math.max(first.h(), first.w()))));
        int cw = first.w() * scale;
        int ch = first.h() * scale;
        boolean labelled = first.label() != null;
        int rows = (pictures.size() + cols - 1) / cols;
        int cellH = ch + (labelled ? LABEL : 0);
        BufferedImage img = new BufferedImage(GAP + cols * (cw + GAP), GAP + rows * (cellH + GAP),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < pictures.size(); i++) {
                Picture p = pictures.get(i);
                int x0 = GAP + (i % cols) * (cw + GAP);
                int y0 = GAP + (i / cols) * (cellH + GAP);
                if (labelled) {
                    String text = p.label();
                    while (text.length() > 1 && fm.stringWidth(text) > cw) {
                        text = text.substring(0, text.length() - 1);
                    }
                    g.setColor(Color.BLACK);
                    g.drawString(text, x0 + Math.max(0, (cw - fm.stringWidth(text)) / 2), y0 + LABEL - 5);
                    y0 += LABEL;
                }
                paint(img, p, x0, y0, scale);
                // a thin frame, so that white pixels at a picture's edge stay visible
                g.setColor(Color.LIGHT_GRAY);
                g.drawRect(x0 - 1, y0 - 1, cw + 1, ch + 1);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void paint(BufferedImage img, Picture p, int x0, int y0, int scale) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : p.pixels()) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        float range = hi - lo;
        for (int y = 0; y < p.h(); y++) {
            for (int x = 0; x < p.w(); x++) {
                float v = p.pixels()[y * p.w() + x];
                int grey = !Float.isFinite(v) || !(range > 0) ? 0 : Math.round((v - lo) / range * 255);
                int rgb = grey << 16 | grey << 8 | grey;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                    }
                }
            }
        }
    }

    static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new CnnException("show(): cannot encode the picture: " + e.getMessage());
        }
        return bytes.toByteArray();
    }
}

package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Conversions;
import io.cnnscript.value.HasMembers;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code writer = SummaryWriter("runs/x")}: PyTorch's SummaryWriter for a loop of one's own, as
 * the notebook's train_ch5 uses it. {@code add_scalar(tag, value, step)} writes each scalar to a
 * TensorBoard event file, and the notebook's three tags (Train Loss, Train Accuracy, Test
 * Accuracy) also to a fresh metrics.csv, one row per step, as train(log=) writes them, so that
 * plot() draws both alike. A step's row is written when all three tags have come, when another
 * step begins, and at flush() and close().
 */
final class SummaryWriterValue implements HasMembers, Values.Named {

    private final Path dir;
    private final String shown;
    private EventFileWriter events;
    private MetricsCsv csv;
    private long step = Long.MIN_VALUE;
    private final double[] row = new double[3];
    private long rowStart = System.nanoTime();

    SummaryWriterValue(Path dir, String shown) {
        this.dir = dir;
        this.shown = shown;
        try {
            Files.deleteIfExists(dir.resolve(MetricsCsv.FILE_NAME));
            events = new EventFileWriter(dir);
            csv = new MetricsCsv(dir);
        } catch (IOException | IllegalArgumentException e) {
            throw new CnnException("SummaryWriter(" + Values.repr(shown) + "): cannot write there: " + io.cnnscript.lib.Errors.ioReason(e));
        }
        clearRow();
    }

    private void clearRow() {
        java.util.Arrays.fill(row, Double.NaN);
    }

    private static int column(String tag) {
        return switch (tag) {
            case "Train Loss" -> 0;
            case "Train Accuracy" -> 1;
            case "Test Accuracy" -> 2;
            default -> -1;
        };
    }

    private void writeRow() throws IOException {
        if (step != Long.MIN_VALUE && (!Double.isNaN(row[0]) || !Double.isNaN(row[1]) || !Double.isNaN(row[2]))) {
            long now = System.nanoTime();
            csv.append((int) step, row[0], row[1], row[2], (now - rowStart) / 1e9);
            rowStart = now;
        }
        clearRow();
    }

    private void addScalar(String tag, double value, long at) {
        if (events == null) {
            throw new CnnException("this SummaryWriter is closed");
        }
        try {
            if (at != step) {
                writeRow();
                step = at;
            }
            events.addScalar(tag, (float) value, at);
            int c = column(tag);
            if (c >= 0) {
                row[c] = value;
                if (!Double.isNaN(row[0]) && !Double.isNaN(row[1]) && !Double.isNaN(row[2])) {
                    writeRow();
                    step = Long.MIN_VALUE;
                }
            }
            events.flush();
        } catch (IOException e) {
            throw new CnnException("SummaryWriter: cannot write to " + shown + ": " + io.cnnscript.lib.Errors.ioReason(e));
        }
    }

    private void close() {
        if (events == null) {
            return;
        }
        try {
            writeRow();
            events.close();
            csv.close();
        } catch (IOException e) {
            throw new CnnException("SummaryWriter: cannot write to " + shown + ": " + io.cnnscript.lib.Errors.ioReason(e));
        } finally {
            events = null;
            csv = null;
        }
    }

    @Override
    public String typeName() {
        return "summary writer";
    }

    @Override
    public String toString() {
        return "<SummaryWriter " + shown + ">";
    }

    @Override
    public Object attribute(Runtime rt, String name) {
        return name.equals("log_dir") ? shown : null;
    }

    /** The methods of PyTorch's SummaryWriter that cnnscript has, with the parameters it takes. */
    private static final java.util.Map<String, io.cnnscript.lib.Signature> METHOD_SIGNATURES =
            Layer.signatures("add_scalar(tag, scalar_value, global_step=none)", "flush()", "close()");

    @Override
    public Object callMethod(Runtime rt, String name, Object[] args, String[] kn, Object[] kv) {
        io.cnnscript.lib.Signature signature = METHOD_SIGNATURES.get(name);
        if (signature == null) {
            return null;
        }
        io.cnnscript.lib.Args a = signature.bind(args, kn, kv);
        switch (name) {
            case "add_scalar": {
                String tag = a.string("tag", "add_scalar() tag");
                double v = a.get("scalar_value") instanceof NDArray t ? ((Number) Conversions.item(t)).doubleValue()
                        : a.toDouble("scalar_value", "add_scalar() scalar_value");
                // Without a step PyTorch's event has none, which TensorBoard reads as step 0.
                addScalar(tag, v, a.isNone("global_step") ? 0 : a.toLong("global_step", "add_scalar() global_step"));
                return NoneValue.NONE;
            }
            case "flush":
                if (events != null) {
                    try {
                        writeRow();
                        step = Long.MIN_VALUE;
                        events.flush();
                    } catch (IOException e) {
                        throw new CnnException("SummaryWriter: cannot write to " + shown + ": " + io.cnnscript.lib.Errors.ioReason(e));
                    }
                }
                return NoneValue.NONE;
            case "close":
                close();
                return NoneValue.NONE;
            default:
                return null;
        }
    }

    @Override
    public List<String> memberNames() {
        return List.of("add_scalar", "flush", "close", "log_dir");
    }
}

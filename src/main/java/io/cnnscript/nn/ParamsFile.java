package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.GradMode;
import io.cnnscript.value.TensorFormat;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * save(net, path) and load(net, path). The file holds every tensor of the network (parameters
 * and BatchNorm's running statistics) by PyTorch name:
 *
 * <pre>
 * "CNNPARAMS" u8 version=1 | i32 count | count x (UTF name, i32 rank, i64 dims..., f32 values...) | i64 CRC32
 * </pre>
 *
 * big-endian (Java's DataOutput). Writing goes through {@link AtomicFile}: a temporary file renamed over the
 * target, so a crash never leaves half a file. Loading checks the checksum, the names and every
 * shape before it changes anything, so a wrong or damaged file leaves the network as it was.
 */
final class ParamsFile {

    private static final byte[] MAGIC = "CNNPARAMS".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private ParamsFile() {}

    static void save(List<Layer.Param> state, Path path, String shown) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeInt(state.size());
            for (Layer.Param p : state) {
                NDArray a = p.value();
                out.writeUTF(p.name());
                long[] dims = a.getShape().getShape();
                out.writeInt(dims.length);
                for (long d : dims) {
                    out.writeLong(d);
                }
                float[] values = a.toType(DataType.FLOAT32, false).toFloatArray();
                ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.BIG_ENDIAN);
                buf.asFloatBuffer().put(values);
                out.write(buf.array());
            }
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        AtomicFile.write(path, shown, out -> out.write(bytes.toByteArray()));
    }

    private record Entry(String name, Shape shape, float[] values) {}

    static void load(List<Layer.Param> state, Path path, String shown) {
        byte[] data;
        try {
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new CnnException("load(): no such file: " + shown);
        } catch (IOException e) {
            throw new CnnException("load(): cannot read " + shown + ": " + io.cnnscript.lib.Errors.ioReason(e));
        }
        List<Entry> entries = parse(data, shown);
        java.util.Map<String, Shape> shapes = new java.util.LinkedHashMap<>();
        for (Entry e : entries) {
            shapes.put(e.name(), e.shape());
        }
        checkFits(state, shapes, "load(): " + shown);
        // Everything checked: now change the network.
        java.util.Map<String, Layer.Param> byName = Layer.byName(state);
        try (GradMode g = GradMode.disabled()) {
            for (Entry e : entries) {
                NDArray target = byName.get(e.name()).value();
                try (NDArray src = target.getManager().create(e.values(), target.getShape());
                     NDArray typed = src.toType(target.getDataType(), false)) {
                    target.set(new ai.djl.ndarray.index.NDIndex("..."), typed);
                }
            }
        }
    }

    /**
     * Checks that tensors of these names and shapes fit the network's state exactly: every name
     * it has, no other, each of its shape. The error names every missing, extra and mismatched
     * tensor. Used before anything is changed, so a file that does not fit leaves the network as
     * it was.
     */
    public static void checkFits(List<Layer.Param> state, java.util.Map<String, Shape> incoming, String what) {
        java.util.Map<String, Layer.Param> byName = Layer.byName(state);
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (Layer.Param p : state) {
            Shape s = incoming.get(p.name());
            if (s == null) {
                missing.add(p.name());
            } else if (!s.equals(p.value().getShape())) {
                wrong.add(p.name() + " is " + TensorFormat.shape(s) + " in the file, "
                        + TensorFormat.shape(p.value().getShape()) + " in the network");
            }
        }
        for (String n : incoming.keySet()) {
            if (!byName.containsKey(n)) {
                extra.add(n);
            }
        }
        if (missing.isEmpty() && extra.isEmpty() && wrong.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) {
            parts.add("missing " + String.join(", ", missing));
        }
        if (!extra.isEmpty()) {
            parts.add("unexpected " + String.join(", ", extra));
        }
        if (!wrong.isEmpty()) {
            parts.add("shapes differ: " + String.join("; ", wrong));
        }
        throw new CnnException(what + " does not fit this network (it was saved from another one): "
                + String.join("; ", parts) + "; the network is unchanged");
    }

    private static List<Entry> parse(byte[] data, String shown) {
        String broken = "load(): " + shown + " is not a cnnscript parameters file, or it is damaged";
        if (data.length < MAGIC.length + 1 + 4 + 8) {
            throw new CnnException(broken + " (too short)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (data[i] != MAGIC[i]) {
                throw new CnnException(broken + " (wrong header)");
            }
        }
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(data, 0, data.length - 8);
        if (crc.getValue() != in.getLong(data.length - 8)) {
            throw new CnnException(broken + " (checksum mismatch)");
        }
        in.position(MAGIC.length);
        int version = in.get();
        if (version != VERSION) {
            throw new CnnException("load(): " + shown + " has format version " + version + ", this cnnscript reads "
                    + VERSION);
        }
        try {
            int count = in.getInt();
            List<Entry> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int len = in.getShort() & 0xffff;
                byte[] name = new byte[len];
                in.get(name);
                int rank = in.getInt();
                if (rank < 0 || rank > 8) {
                    throw new CnnException(broken + " (bad rank)");
                }
                long[] dims = new long[rank];
                long size = 1;
                for (int d = 0; d < rank; d++) {
                    dims[d] = in.getLong();
                    size *= dims[d];
                }
                if (size < 0 || size * 4 > in.remaining()) {
                    throw new CnnException(broken + " (bad size)");
                }
                float[] values = new float[(int) size];
                in.asFloatBuffer().get(values);
                in.position(in.position() + values.length * 4);
                out.add(new Entry(new String(name, java.nio.charset.StandardCharsets.UTF_8), new Shape(dims), values));
            }
            if (in.remaining() != 8) {
                throw new CnnException(broken + " (trailing bytes)");
            }
            return out;
        } catch (java.nio.BufferUnderflowException e) {
            throw new CnnException(broken + " (truncated)");
        }
    }
}

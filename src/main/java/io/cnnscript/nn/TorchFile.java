package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Dtypes;
import io.cnnscript.lib.GradMode;
import io.cnnscript.nn.TorchPickleReader.StorageRef;
import io.cnnscript.nn.TorchPickleReader.TensorRef;
import io.cnnscript.value.TensorFormat;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import net.razorvine.pickle.PickleException;

/**
 * PyTorch's weights files ({@code .pt}, {@code .pth}): what {@code torch.save(net.state_dict(), path)}
 * and {@code torch.save(X, path)} write, read and written.
 *
 * <p>The format (PyTorch 1.6 and later) is an uncompressed zip: {@code archive/data.pkl} holds a
 * pickle of the OrderedDict (or the tensor), {@code archive/data/<key>} the raw little-endian
 * bytes of each storage, {@code archive/version} the format version. Entries' data start on
 * 64-byte boundaries, as PyTorch aligns them. The legacy format (before 1.6, or
 * {@code _use_new_zipfile_serialization=False}) is read too: several pickles in a row, then the
 * storages' bytes.
 *
 * <p>Reading never runs anything the file says (see {@link TorchPickleReader}), checks every
 * size against the storages before it copies a byte, and {@link #loadInto} changes a network
 * only after every name, shape and dtype has been checked.
 */
final class TorchFile {

    private TorchFile() {}

    /** True for the paths this format is used for: .pt and .pth. */
    static boolean isTorchPath(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".pt") || p.endsWith(".pth");
    }

    /** A tensor read from a file: dtype, shape and its elements in row-major order, little-endian. */
    record HostTensor(DataType type, long[] shape, byte[] data) {

        NDArray toNDArray(NDManager manager) {
            ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(data.length, 1)).order(ByteOrder.nativeOrder());
            buf.put(fromLittleEndian(data, type.getNumOfBytes()));
            buf.rewind();
            buf.limit(data.length);
            return io.cnnscript.lib.JavaData.own(manager.create(buf, new Shape(shape), type));
        }
    }

    /** What a file holds: a state_dict (name to tensor, in the file's order) or one tensor. */
    record Contents(Map<String, HostTensor> stateDict, HostTensor tensor) {}

    // ------------------------------------------------------------------ writing

    /** Writes the network's tensors as torch.save(net.state_dict(), path) does. */
    static void saveState(List<Layer.Param> state, Path path, String shown) {
        List<String> names = new ArrayList<>();
        List<NDArray> arrays = new ArrayList<>();
        for (Layer.Param p : state) {
            names.add(p.name());
            arrays.add(p.value());
        }
        write(names, arrays, path, shown);
    }

    /** Writes one tensor as torch.save(X, path) does. */
    static void saveTensor(NDArray x, Path path, String shown) {
        write(null, List.of(x), path, shown);
    }

    private static void write(List<String> names, List<NDArray> arrays, Path path, String shown) {
        List<TorchPickleWriter.TensorRecord> records = new ArrayList<>();
        List<byte[]> storages = new ArrayList<>();
        for (int i = 0; i < arrays.size(); i++) {
            NDArray a = arrays.get(i);
            String storage = TorchPickleReader.storageName(a.getDataType());
            if (storage == null) {
                throw new CnnException("save(): " + (names == null ? "the tensor" : names.get(i)) + " has dtype "
                        + Dtypes.name(a.getDataType()) + ", which a PyTorch file cannot hold");
            }
            records.add(new TorchPickleWriter.TensorRecord(Integer.toString(i), storage, a.getShape().getShape()));
            ByteBuffer bb = a.toByteBuffer();
            byte[] bytes = new byte[bb.remaining()];
            bb.get(bytes);
            storages.add(fromLittleEndian(bytes, a.getDataType().getNumOfBytes())); // the same swap both ways
        }
        byte[] pickle = names == null ? TorchPickleWriter.tensor(records.get(0))
                : TorchPickleWriter.stateDict(names, records);
        AtomicFile.write(path, shown, out -> {
            Aligned zip = new Aligned(out);
            zip.add("archive/data.pkl", pickle);
            zip.add("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < storages.size(); i++) {
                zip.add("archive/data/" + i, storages.get(i));
            }
            zip.add("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        });
    }

    /** PyTorch stores little-endian; on a big-endian host each element's bytes are reversed. */
    static byte[] fromLittleEndian(byte[] data, int width) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN || width == 1) {
            return data;
        }
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i += width) {
            for (int j = 0; j < width; j++) {
                out[i + j] = data[i + width - 1 - j];
            }
        }
        return out;
    }

    /** Counts the bytes written, so that each entry's data can be placed on a 64-byte boundary. */
    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** A zip of stored (uncompressed) entries whose data start at multiples of 64, as PyTorch writes. */
    private static final class Aligned {
        private static final int ALIGN = 64;
        private static final LocalDateTime TIME = LocalDateTime.of(2000, 1, 1, 0, 0);
        private final Counting counting;
        private final ZipOutputStream zip;

        Aligned(OutputStream out) {
            counting = new Counting(out);
            zip = new ZipOutputStream(counting);
        }

        void add(String name, byte[] data) throws IOException {
            zip.flush();
            ZipEntry e = new ZipEntry(name);
            e.setMethod(ZipEntry.STORED);
            e.setSize(data.length);
            e.setCompressedSize(data.length);
            CRC32 crc = new CRC32();
            crc.update(data);
            e.setCrc(crc.getValue());
            e.setTimeLocal(TIME);
            // A local header is 30 bytes, then the name, then the extra field: pad the extra field
            // (id "FB", as PyTorch's writer) so that the data starts on the boundary.
            long start = counting.count + 30 + name.getBytes(StandardCharsets.UTF_8).length + 4;
            int pad = (int) ((ALIGN - start % ALIGN) % ALIGN);
            byte[] extra = new byte[4 + pad];
            extra[0] = 'F';
            extra[1] = 'B';
            extra[2] = (byte) pad;
            extra[3] = (byte) (pad >> 8);
            e.setExtra(extra);
            zip.putNextEntry(e);
            zip.write(data);
            zip.closeEntry();
        }

        void finish() throws IOException {
            zip.finish();
            zip.flush();
        }
    }

    // ------------------------------------------------------------------ reading

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final int MAX_PICKLE = 64 << 20;

    /** Reads a PyTorch file; every tensor at most maxElements elements. Errors start with "load(): shown". */
    static Contents read(Path path, String shown, long maxElements) {
        String where = "load(): " + shown;
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(4);
        } catch (NoSuchFileException e) {
            throw new CnnException("load(): no such file: " + shown);
        } catch (IOException e) {
            throw new CnnException("load(): cannot read " + shown);
        }
        try {
            if (head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return readZip(path, shown, maxElements);
            }
            if (head.length >= 2 && (head[0] & 0xff) == 0x80) {
                return readLegacy(path, shown, maxElements);
            }
        } catch (TorchPickleReader.Refused e) {
            throw new CnnException(where + " is refused: " + e.getMessage());
        } catch (PickleException e) {
            throw new CnnException(where + " is damaged: " + e.getMessage());
        } catch (ZipException e) {
            throw new CnnException(where + " is damaged or truncated: not a complete zip archive");
        } catch (IOException e) {
            throw new CnnException(where + " is damaged or truncated (" + (e.getClass() == IOException.class
                    ? e.getMessage() : io.cnnscript.lib.Errors.ioReason(e)) + ")");
        }
        throw new CnnException(where + " is not a PyTorch file (neither the zip format of torch.save nor the legacy "
                + "one); cnnscript's own files end in another extension, e.g. .params");
    }

    private static Contents readZip(Path path, String shown, long maxElements) throws IOException {
        try (ZipFile zip = new ZipFile(path.toFile())) {
            ZipEntry first = zip.stream().findFirst().orElseThrow(() -> new ZipException("empty"));
            int slash = first.getName().indexOf('/');
            String prefix = slash < 0 ? "" : first.getName().substring(0, slash + 1);
            ZipEntry pkl = zip.getEntry(prefix + "data.pkl");
            if (pkl == null) {
                throw new CnnException("load(): " + shown + " is a zip archive but not a PyTorch file (it has no "
                        + prefix + "data.pkl)");
            }
            byte[] pickle = entry(zip, pkl, MAX_PICKLE, shown);
            TorchPickleReader reader = new TorchPickleReader(pickle);
            Object top = reader.read();
            Map<String, byte[]> bytes = new HashMap<>();
            for (StorageRef s : reader.storages.values()) {
                ZipEntry e = zip.getEntry(prefix + "data/" + s.key());
                if (e == null) {
                    throw new CnnException("load(): " + shown + " is damaged: storage " + s.key() + " is missing");
                }
                long need = s.numel() * s.type().getNumOfBytes();
                if (s.numel() < 0 || need > Integer.MAX_VALUE - 8) {
                    throw new CnnException("load(): " + shown + " has a storage too large to load (" + s.numel()
                            + " elements)");
                }
                byte[] b = entry(zip, e, (int) need, shown);
                if (b.length < need) {
                    throw new CnnException("load(): " + shown + " is damaged: storage " + s.key() + " has " + b.length
                            + " bytes where " + need + " are needed");
                }
                bytes.put(s.key(), b);
            }
            return contents(top, bytes, shown, maxElements);
        }
    }

    private static byte[] entry(ZipFile zip, ZipEntry e, int limit, String shown) throws IOException {
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes(limit + 1);
            if (b.length > limit) {
                throw new CnnException("load(): " + shown + " is damaged: " + e.getName() + " is larger than expected");
            }
            return b;
        }
    }

    /**
     * The legacy format: pickles of a magic number, the protocol version and system info, then
     * the object, then the list of storage keys, then each storage as an int64 element count
     * followed by its bytes.
     */
    private static Contents readLegacy(Path path, String shown, long maxElements) throws IOException {
        byte[] all = Files.readAllBytes(path);
        ByteArrayInputStream in = new ByteArrayInputStream(all);
        Object magic = new TorchPickleReader(all).read(in);
        if (!(magic instanceof BigInteger m) || !m.equals(LEGACY_MAGIC)) {
            throw new CnnException("load(): " + shown + " is a Python pickle but not a file torch.save wrote");
        }
        Object protocol = new TorchPickleReader(all).read(in);
        if (!(protocol instanceof Number p) || p.intValue() != 1001) {
            throw new CnnException("load(): " + shown + " uses legacy format version " + protocol
                    + ", which cnnscript cannot read; load it in PyTorch and save it again with torch.save");
        }
        Object sysInfo = new TorchPickleReader(all).read(in);
        if (sysInfo instanceof Map<?, ?> info && Boolean.FALSE.equals(info.get("little_endian"))) {
            throw new CnnException("load(): " + shown + " was written on a big-endian machine; load it in PyTorch and "
                    + "save it again with torch.save");
        }
        TorchPickleReader reader = new TorchPickleReader(all);
        Object top = reader.read(in);
        Object keys = new TorchPickleReader(all).read(in);
        if (!(keys instanceof List<?> keyList)) {
            throw new PickleException("its list of storages is missing");
        }
        Map<String, byte[]> bytes = new HashMap<>();
        for (Object k : keyList) {
            StorageRef s = reader.storages.get(String.valueOf(k));
            byte[] count = in.readNBytes(8);
            if (s == null || count.length < 8) {
                throw new PickleException("its storages do not match its pickle");
            }
            long numel = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
            long need = numel * s.type().getNumOfBytes();
            if (numel < 0 || need > in.available()) {
                throw new PickleException("it is truncated (storage " + k + ")");
            }
            bytes.put(s.key(), in.readNBytes((int) need));
        }
        return contents(top, bytes, shown, maxElements);
    }

    private static Contents contents(Object top, Map<String, byte[]> bytes, String shown, long maxElements) {
        if (top instanceof TensorRef t) {
            return new Contents(null, tensor(t, bytes, shown, "the tensor", maxElements));
        }
        Map<String, TensorRef> refs = TorchPickleReader.stateDict(top);
        if (refs == null) {
            throw new CnnException("load(): " + shown + " holds " + TorchPickleReader.describe(top)
                    + ", not a state_dict or a tensor; in PyTorch, save torch.save(net.state_dict(), path)");
        }
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
            out.put(e.getKey(), tensor(e.getValue(), bytes, shown, e.getKey(), maxElements));
        }
        return new Contents(out, null);
    }

    /** The tensor's elements, gathered from its storage by offset and strides after every bound is checked. */
    private static HostTensor tensor(TensorRef t, Map<String, byte[]> bytes, String shown, String name, long maxElements) {
        String bad = "load(): " + shown + " is damaged: " + name + " ";
        StorageRef s = t.storage();
        byte[] storage = bytes.get(s.key());
        int width = s.type().getNumOfBytes();
        long numel = 1;
        long last = t.offset();
        for (int i = 0; i < t.size().length; i++) {
            long n = t.size()[i];
            long st = t.stride()[i];
            if (n < 0 || st < 0) {
                throw new CnnException(bad + "has a negative size or stride");
            }
            numel = Math.multiplyHigh(numel, n) != 0 ? Long.MAX_VALUE : numel * n;
            if (numel > maxElements) {
                throw new CnnException("load(): " + shown + ": " + name + " has more elements than this engine allows ("
                        + maxElements + ")");
            }
            if (n > 0) {
                last += (n - 1) * st;
            }
        }
        if (t.offset() < 0 || (numel > 0 && (last >= s.numel() || last * width >= storage.length))) {
            throw new CnnException(bad + "reaches past the end of its storage");
        }
        byte[] out = new byte[(int) (numel * width)];
        if (numel > 0) {
            gather(storage, width, t.offset(), t.size(), t.stride(), out);
        }
        return new HostTensor(s.type(), t.size(), out);
    }

    /** Copies a strided view into row-major order; a contiguous view is one copy. */
    private static void gather(byte[] storage, int width, long offset, long[] size, long[] stride, byte[] out) {
        int rank = size.length;
        boolean contiguous = true;
        long expect = 1;
        for (int i = rank - 1; i >= 0; i--) {
            if (size[i] != 1 && stride[i] != expect) {
                contiguous = false;
            }
            expect *= size[i];
        }
        if (contiguous) {
            System.arraycopy(storage, (int) (offset * width), out, 0, out.length);
            return;
        }
        long[] index = new long[rank];
        long at = offset;
        for (int k = 0; k < out.length / width; k++) {
            System.arraycopy(storage, (int) (at * width), out, k * width, width);
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                at += stride[d];
                if (index[d] < size[d]) {
                    break;
                }
                at -= index[d] * stride[d];
                index[d] = 0;
            }
        }
    }

    // ------------------------------------------------------------------ into a network

    /**
     * Copies a state_dict into the network's tensors. Every name and shape is checked first (the
     * dtypes were checked when the file was read: only the storage types PyTorch names are
     * accepted); any missing, extra or mismatched entry is named in one error and nothing
     * changes. A value of another dtype is converted, as PyTorch's load_state_dict copies with
     * conversion (a float64 weight into a float32 layer).
     */
    static void loadInto(List<Layer.Param> state, Map<String, HostTensor> file, String shown) {
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Map<String, Layer.Param> byName = new LinkedHashMap<>();
        for (Layer.Param p : state) {
            byName.put(p.name(), p);
            HostTensor t = file.get(p.name());
            if (t == null) {
                missing.add(p.name());
            } else if (!new Shape(t.shape()).equals(p.value().getShape())) {
                mismatched.add(p.name() + " is " + TensorFormat.shape(new Shape(t.shape())) + " in the file and "
                        + TensorFormat.shape(p.value().getShape()) + " in the network");
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : file.keySet()) {
            if (!byName.containsKey(name)) {
                unexpected.add(name);
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missing from the file: " + String.join(", ", missing));
            }
            if (!unexpected.isEmpty()) {
                parts.add("in the file but not in the network: " + String.join(", ", unexpected));
            }
            if (!mismatched.isEmpty()) {
                parts.add("different: " + String.join("; ", mismatched));
            }
            throw new CnnException("load(): " + shown + " does not fit this network (nothing was changed): "
                    + String.join("; ", parts));
        }
        try (GradMode g = GradMode.disabled();
                NDManager scratch = state.isEmpty() ? null : state.get(0).value().getManager().newSubManager()) {
            for (Layer.Param p : state) {
                NDArray target = p.value();
                NDArray src = file.get(p.name()).toNDArray(scratch);
                if (src.getDataType() != target.getDataType()) {
                    src = src.toType(target.getDataType(), false);
                }
                target.set(new NDIndex("..."), src);
            }
        }
    }
}

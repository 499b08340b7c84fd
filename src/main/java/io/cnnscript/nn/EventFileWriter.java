package io.cnnscript.nn;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes scalar summaries as a TensorBoard event file, without TensorFlow.
 *
 * <p>The file is a sequence of TFRecords, each holding one {@code tensorflow.Event} protobuf that
 * is encoded by hand here (only the handful of fields TensorBoard's scalar dashboard needs):
 *
 * <pre>
 * record  = uint64 length (LE) | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)
 * Event   = 1: wall_time double | 2: step int64 | 3: file_version string | 5: summary Summary
 * Summary = 1: repeated Value
 * Value   = 1: tag string | 2: simple_value float
 * </pre>
 *
 * Every {@link #addScalar} is flushed to the OS straight away, so a crash loses at most the
 * value being written. Methods are synchronized, so one writer may be shared between threads.
 */
public final class EventFileWriter implements Closeable {

    static final String FILE_VERSION = "brain.Event:2";
    private static final int MASK_DELTA = 0xa282ead8;

    private final Path file;
    private final OutputStream out;
    private boolean closed;

    /** Creates {@code logDir} if needed and a new event file in it, starting with the version record. */
    public EventFileWriter(Path logDir) throws IOException {
        Files.createDirectories(logDir);
        long now = System.currentTimeMillis();
        String base = "events.out.tfevents." + (now / 1000) + "." + hostname();
        Path candidate = logDir.resolve(base);
        OutputStream opened = null;
        // Two writers started in the same second must not share a file; TensorBoard reads any
        // name containing "tfevents", so a numeric suffix is fine.
        for (int n = 1; opened == null; n++) {
            try {
                opened = Files.newOutputStream(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                candidate = logDir.resolve(base + "." + n);
            }
        }
        this.file = candidate;
        this.out = opened;
        writeRecord(fileVersionEvent(now / 1000.0));
        out.flush();
    }

    /** The event file being written. */
    public Path file() {
        return file;
    }

    /** Appends one scalar, e.g. {@code addScalar("Train Loss", 0.42f, epoch)}, and flushes it. */
    public synchronized void addScalar(String tag, float value, long step) throws IOException {
        ensureOpen();
        writeRecord(scalarEvent(System.currentTimeMillis() / 1000.0, step, tag, value));
        out.flush();
    }

    public synchronized void flush() throws IOException {
        ensureOpen();
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            out.close();
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(file + ": event file writer is closed");
        }
    }

    // ------------------------------------------------------------- framing

    private void writeRecord(byte[] data) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(maskedCrc32c(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc32c(data, 0, data.length));
        out.write(header.array());
        out.write(data);
        out.write(footer.array());
    }

    /** TFRecord's CRC: rotating and offsetting keeps a CRC of data that itself holds CRCs robust. */
    static int maskedCrc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    // ------------------------------------------------------------- protobuf

    static byte[] fileVersionEvent(double wallTime) {
        Proto event = new Proto();
        event.fixed64(1, Double.doubleToLongBits(wallTime));
        event.varint(2, 0);
        event.bytes(3, FILE_VERSION.getBytes(StandardCharsets.UTF_8));
        return event.toByteArray();
    }

    static byte[] scalarEvent(double wallTime, long step, String tag, float value) {
        Proto v = new Proto();
        v.bytes(1, tag.getBytes(StandardCharsets.UTF_8));
        v.fixed32(2, Float.floatToIntBits(value));
        Proto summary = new Proto();
        summary.bytes(1, v.toByteArray());
        Proto event = new Proto();
        event.fixed64(1, Double.doubleToLongBits(wallTime));
        event.varint(2, step);
        event.bytes(5, summary.toByteArray());
        return event.toByteArray();
    }

    /** Minimal protobuf wire-format encoder: just the field kinds used above. */
    private static final class Proto {
        private static final int VARINT = 0;
        private static final int I64 = 1;
        private static final int LEN = 2;
        private static final int I32 = 5;

        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        void varint(int field, long value) {
            key(field, VARINT);
            rawVarint(value);
        }

        void fixed64(int field, long bits) {
            key(field, I64);
            for (int i = 0; i < 8; i++) {
                buf.write((int) (bits >>> (8 * i)));
            }
        }

        void fixed32(int field, int bits) {
            key(field, I32);
            for (int i = 0; i < 4; i++) {
                buf.write(bits >>> (8 * i));
            }
        }

        void bytes(int field, byte[] data) {
            key(field, LEN);
            rawVarint(data.length);
            buf.writeBytes(data);
        }

        private void key(int field, int wireType) {
            rawVarint(((long) field << 3) | wireType);
        }

        /** Negative int64 values take ten bytes, as protobuf specifies. */
        private void rawVarint(long v) {
            while ((v & ~0x7FL) != 0) {
                buf.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            buf.write((int) v);
        }

        byte[] toByteArray() {
            return buf.toByteArray();
        }
    }

    private static String hostname() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
        }
        // keep the name a single path component
        return host.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

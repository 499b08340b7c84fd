package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the event file back with a decoder written here from the format spec, not from the writer. */
class EventFileWriterTest {

    @TempDir
    Path tmp;

    /** What one decoded Event holds (fields we do not write stay at their defaults). */
    record Event(double wallTime, long step, String fileVersion, List<String> tags, List<Float> values) {}

    @Test
    void writesRecordsTensorBoardCanRead() throws IOException {
        Path logDir = tmp.resolve("runs/a");
        long before = System.currentTimeMillis() / 1000;
        Path file;
        try (EventFileWriter w = new EventFileWriter(logDir)) {
            file = w.file();
            for (int epoch = 1; epoch <= 3; epoch++) {
                w.addScalar("Train Loss", 1.0f / epoch, epoch);
                w.addScalar("Train Accuracy", 0.5f + 0.1f * epoch, epoch);
                w.addScalar("Test Accuracy", 0.45f + 0.1f * epoch, epoch);
                w.flush();
            }
            // already on disk before close: a crash would not lose the epoch
            assertEquals(10, decode(Files.readAllBytes(file)).size());
        }
        long after = System.currentTimeMillis() / 1000;

        assertEquals(logDir, file.getParent());
        String name = file.getFileName().toString();
        assertTrue(name.matches("events\\.out\\.tfevents\\.\\d+\\..+"), name);
        long stamp = Long.parseLong(name.split("\\.")[3]);
        assertTrue(stamp >= before && stamp <= after, name);

        List<Event> events = decode(Files.readAllBytes(file));
        assertEquals(10, events.size());
        Event first = events.get(0);
        assertEquals("brain.Event:2", first.fileVersion());
        assertTrue(first.tags().isEmpty());
        assertTrue(first.wallTime() >= before && first.wallTime() <= after + 1, "wall time " + first.wallTime());

        String[] tags = {"Train Loss", "Train Accuracy", "Test Accuracy"};
        for (int epoch = 1; epoch <= 3; epoch++) {
            float[] expected = {1.0f / epoch, 0.5f + 0.1f * epoch, 0.45f + 0.1f * epoch};
            for (int k = 0; k < 3; k++) {
                Event e = events.get(1 + (epoch - 1) * 3 + k);
                assertEquals(epoch, e.step());
                assertEquals(List.of(tags[k]), e.tags());
                assertEquals(expected[k], e.values().get(0));
                assertEquals(null, e.fileVersion());
                assertTrue(e.wallTime() >= before && e.wallTime() <= after + 1);
            }
        }
    }

    @Test
    void largeStepsAndTwoWritersInOneSecond() throws IOException {
        try (EventFileWriter a = new EventFileWriter(tmp); EventFileWriter b = new EventFileWriter(tmp)) {
            a.addScalar("x", -2.5f, 1L << 40);
            b.addScalar("y", Float.NaN, 0);
            assertTrue(!a.file().equals(b.file()));
        }
        try (Stream<Path> files = Files.list(tmp)) {
            List<Path> all = files.sorted().toList();
            assertEquals(2, all.size());
            List<Event> evA = decode(Files.readAllBytes(all.get(0)));
            List<Event> evB = decode(Files.readAllBytes(all.get(1)));
            Event big = evA.size() == 2 && evA.get(1).tags().equals(List.of("x")) ? evA.get(1) : evB.get(1);
            Event nan = big == evA.get(1) ? evB.get(1) : evA.get(1);
            assertEquals(1L << 40, big.step());
            assertEquals(-2.5f, big.values().get(0));
            assertTrue(Float.isNaN(nan.values().get(0)));
        }
    }

    @Test
    void closedWriterRefusesWrites() throws IOException {
        EventFileWriter w = new EventFileWriter(tmp);
        w.close();
        w.close(); // idempotent
        assertThrows(IOException.class, () -> w.addScalar("x", 1f, 1));
    }

    @Test
    void crcMatchesTheReferenceImplementation() {
        // CRC-32C check value from RFC 3720 / the Castagnoli paper
        assertEquals(0xE3069283, crc32c("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
        byte[] data = "hello tensorboard".getBytes(StandardCharsets.UTF_8);
        assertEquals(mask(crc32c(data, 0, data.length)), EventFileWriter.maskedCrc32c(data, 0, data.length));
    }

    // ---------------------------------------------------------------- independent decoder

    static List<Event> decode(byte[] file) {
        List<Event> events = new ArrayList<>();
        int pos = 0;
        while (pos < file.length) {
            assertTrue(pos + 12 <= file.length, "truncated record header at " + pos);
            long len = le(file, pos, 8);
            int lenCrc = (int) le(file, pos + 8, 4);
            assertEquals(mask(crc32c(file, pos, 8)), lenCrc, "length CRC at " + pos);
            int data = pos + 12;
            assertTrue(data + len + 4 <= file.length, "truncated record at " + pos);
            int dataCrc = (int) le(file, data + (int) len, 4);
            assertEquals(mask(crc32c(file, data, (int) len)), dataCrc, "data CRC at " + pos);
            events.add(decodeEvent(file, data, data + (int) len));
            pos = data + (int) len + 4;
        }
        return events;
    }

    private static Event decodeEvent(byte[] b, int from, int to) {
        double wall = 0;
        long step = 0;
        String version = null;
        List<String> tags = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        int[] p = {from};
        while (p[0] < to) {
            long key = varint(b, p);
            int field = (int) (key >>> 3);
            int type = (int) (key & 7);
            if (field == 1 && type == 1) {
                wall = Double.longBitsToDouble(le(b, p[0], 8));
                p[0] += 8;
            } else if (field == 2 && type == 0) {
                step = varint(b, p);
            } else if (field == 3 && type == 2) {
                int n = (int) varint(b, p);
                version = new String(b, p[0], n, StandardCharsets.UTF_8);
                p[0] += n;
            } else if (field == 5 && type == 2) {
                int n = (int) varint(b, p);
                decodeSummary(b, p[0], p[0] + n, tags, values);
                p[0] += n;
            } else {
                throw new AssertionError("unexpected field " + field + " wire type " + type);
            }
        }
        assertEquals(to, p[0], "event overran its record");
        return new Event(wall, step, version, tags, values);
    }

    private static void decodeSummary(byte[] b, int from, int to, List<String> tags, List<Float> values) {
        int[] p = {from};
        while (p[0] < to) {
            long key = varint(b, p);
            assertEquals((1 << 3) | 2, key, "Summary.value");
            int n = (int) varint(b, p);
            int end = p[0] + n;
            while (p[0] < end) {
                long k = varint(b, p);
                if (k == ((1 << 3) | 2)) {
                    int m = (int) varint(b, p);
                    tags.add(new String(b, p[0], m, StandardCharsets.UTF_8));
                    p[0] += m;
                } else if (k == ((2 << 3) | 5)) {
                    values.add(Float.intBitsToFloat((int) le(b, p[0], 4)));
                    p[0] += 4;
                } else {
                    throw new AssertionError("unexpected Value key " + k);
                }
            }
        }
    }

    private static long varint(byte[] b, int[] p) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[p[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }

    /** Bitwise CRC-32C (reflected polynomial 0x82F63B78), deliberately not java.util.zip. */
    private static int crc32c(byte[] b, int off, int len) {
        int crc = 0xFFFFFFFF;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xff;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    private static int mask(int crc) {
        return Integer.rotateRight(crc, 15) + 0xa282ead8;
    }
}

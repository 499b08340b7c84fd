package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static NDManager manager;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startEngine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stopEngine() {
        manager.close();
    }

    @BeforeEach
    void freshCache() {
        FashionMnist.clearCache();
    }

    // ------------------------------------------------------------ real files

    @Test
    void loadsTheRealFilesWhenInstalled() {
        assumeTrue(Files.isRegularFile(FashionMnist.SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        List<String> notes = new ArrayList<>();
        long t0 = System.nanoTime();
        FashionMnist data = FashionMnist.load(List.of(FashionMnist.SYSTEM_DIR), null, null, notes::add);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("full Fashion-MNIST loaded in " + ms + " ms");

        assertTrue(notes.isEmpty(), notes.toString());
        assertFalse(data.isSample());
        assertEquals(60000, data.train().size());
        assertEquals(10000, data.test().size());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, firstLabels(data.train(), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, firstLabels(data.test(), 10));
        assertEquals(76247, pixelSum(data.train(), 0));
        assertTrue(ms < 3000, "loading took " + ms + " ms");

        // cached per directory: the second load is the same object
        assertTrue(data == FashionMnist.load(List.of(FashionMnist.SYSTEM_DIR), null, null, notes::add));
    }

    @Test
    void sampleIsTheHeadOfTheRealData() {
        assumeTrue(Files.isRegularFile(FashionMnist.SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz")));
        FashionMnist full = FashionMnist.load(List.of(FashionMnist.SYSTEM_DIR), null, null, s -> { });
        FashionMnist sample = FashionMnist.loadSample();
        for (int i : new int[] {0, 1, 1234, 2999}) {
            assertEquals(full.train().label(i), sample.train().label(i));
            assertEquals(pixelSum(full.train(), i), pixelSum(sample.train(), i));
        }
        assertEquals(pixelSum(full.test(), 999), pixelSum(sample.test(), 999));
    }

    // ------------------------------------------------------------ fallback

    @Test
    void fallsBackToTheShippedSampleWithOneNote() {
        Path empty = tmp.resolve("empty");
        List<String> notes = new ArrayList<>();
        FashionMnist data = FashionMnist.load(List.of(empty, tmp.resolve("other")), null, null, notes::add);

        assertTrue(data.isSample());
        assertEquals(3000, data.train().size());
        assertEquals(1000, data.test().size());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, firstLabels(data.train(), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, firstLabels(data.test(), 10));
        assertEquals(1, notes.size(), notes.toString());
        assertEquals("note: Fashion-MNIST not found (looked in " + empty + ", " + tmp.resolve("other")
                + "); using the 3000/1000-image sample shipped with cnnscript", notes.get(0));

        // asking again gives the same data without repeating the note
        assertTrue(data == FashionMnist.load(List.of(empty, tmp.resolve("other")), null, null, notes::add));
        assertEquals(1, notes.size());
    }

    @Test
    void publicLoadWithoutDownloadFallsBackOrFindsData() {
        String old = System.getProperty("cnnscript.download");
        System.setProperty("cnnscript.download", "false");
        try {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            FashionMnist data = FashionMnist.load(tmp, new PrintStream(err, true, StandardCharsets.UTF_8));
            String printed = err.toString(StandardCharsets.UTF_8);
            if (data.isSample()) {
                assertTrue(printed.startsWith("note: Fashion-MNIST not found (looked in " + tmp + ", "), printed);
                assertEquals(1, printed.lines().count(), printed);
            } else {
                assertEquals("", printed);
                assertEquals(60000, data.train().size());
            }
        } finally {
            if (old == null) {
                System.clearProperty("cnnscript.download");
            } else {
                System.setProperty("cnnscript.download", old);
            }
        }
    }

    @Test
    void readsUncompressedFilesToo() throws IOException {
        Path dir = copySample(tmp.resolve("raw"));
        for (String base : FashionMnist.FILES) {
            Path gz = dir.resolve(base + ".gz");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                Files.write(dir.resolve(base), in.readAllBytes());
            }
            Files.delete(gz);
        }
        List<String> notes = new ArrayList<>();
        FashionMnist data = FashionMnist.load(List.of(dir), null, null, notes::add);
        assertTrue(notes.isEmpty());
        assertFalse(data.isSample());
        assertEquals(3000, data.train().size());
        assertEquals(dir.toAbsolutePath().normalize().toString(), data.source());
    }

    @Test
    void incompleteDirectoryIsSkipped() throws IOException {
        Path partial = copySample(tmp.resolve("partial"));
        Files.delete(partial.resolve("t10k-labels-idx1-ubyte.gz"));
        Path full = copySample(tmp.resolve("full"));
        FashionMnist data = FashionMnist.load(List.of(partial, full), null, null, s -> { });
        assertEquals(full.toAbsolutePath().normalize().toString(), data.source());
    }

    // ------------------------------------------------------------ corrupt files

    @Test
    void truncatedGzipNamesTheFile() throws IOException {
        Path dir = copySample(tmp.resolve("d"));
        Path f = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(whole, whole.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));
        assertTrue(e.getMessage().startsWith(f + ": truncated: gzip stream ends after "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" of 2352000 bytes of pixels"), e.getMessage());
    }

    @Test
    void shortPayloadSaysHowMuchIsMissing() throws IOException {
        Path dir = copySample(tmp.resolve("d"));
        Path f = dir.resolve("train-images-idx3-ubyte.gz");
        writeGz(f, concat(header(0x803, 3000, 28, 28), new byte[1000]));
        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));
        assertEquals(f + ": truncated: expected 2352000 bytes of pixels, found 1000", e.getMessage());
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path dir = copySample(tmp.resolve("d"));
        Path f = dir.resolve("t10k-images-idx3-ubyte.gz");
        writeGz(f, concat(header(0x801, 1000), new byte[1000]));
        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));
        assertTrue(e.getMessage().startsWith(f + ": bad magic number, expected 0x00000803"),
                e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustMatch() throws IOException {
        Path dir = copySample(tmp.resolve("d"));
        Path f = dir.resolve("train-labels-idx1-ubyte.gz");
        writeGz(f, concat(header(0x801, 2999), new byte[2999]));
        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));
        assertEquals(f + ": has 2999 labels but " + dir.resolve("train-images-idx3-ubyte.gz")
                + " has 3000 images", e.getMessage());
    }

    @Test
    void notGzipAtAll() throws IOException {
        Path dir = copySample(tmp.resolve("d"));
        Path f = dir.resolve("train-labels-idx1-ubyte.gz");
        Files.write(f, concat(header(0x801, 3000), new byte[3000]));
        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));
        assertEquals(f + ": not a gzip file (bad gzip header)", e.getMessage());
    }

    @Test
    void corruptGzipBody() throws IOException {
        Path dir = copySample(tmp.resolve("d"));
        Path f = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] b = Files.readAllBytes(f);
        for (int i = 100; i < 400; i++) {
            b[i] ^= (byte) 0x5a;
        }
        Files.write(f, b);
        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));
        assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
    }

    @Test
    void trailingBytesAndBadLabels() throws IOException {
        Path dir = copySample(tmp.resolve("d"));
        Path f = dir.resolve("t10k-labels-idx1-ubyte.gz");
        writeGz(f, concat(header(0x801, 1000), new byte[1003]));
        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));
        assertEquals(f + ": 3 unexpected bytes after the 1000 labels", e.getMessage());

        FashionMnist.clearCache();
        byte[] labels = new byte[1000];
        labels[7] = 10;
        writeGz(f, concat(header(0x801, 1000), labels));
        e = assertThrows(DatasetException.class, () -> load(dir));
        assertEquals(f + ": label 10 at index 7 is out of range 0..9", e.getMessage());
    }

    @Test
    void wrongImageSize() throws IOException {
        Path dir = copySample(tmp.resolve("d"));
        Path f = dir.resolve("t10k-images-idx3-ubyte.gz");
        writeGz(f, concat(header(0x803, 1000, 32, 32), new byte[1000 * 32 * 32]));
        DatasetException e = assertThrows(DatasetException.class, () -> load(dir));
        assertEquals(f + ": images are 32x32, expected 28x28", e.getMessage());
    }

    // ------------------------------------------------------------ download

    @Test
    void downloadsIntoTheCacheAndVerifiesChecksums() throws Exception {
        Path served = copySample(tmp.resolve("served"));
        HttpServer server = serve(served);
        try {
            Map<String, String> md5 = new HashMap<>();
            for (String base : FashionMnist.FILES) {
                md5.put(base + ".gz", md5(served.resolve(base + ".gz")));
            }
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Downloader dl = new Downloader(List.of(url), md5, Duration.ofSeconds(3),
                    new PrintStream(progress, true, StandardCharsets.UTF_8));
            Path cache = tmp.resolve("cache");
            List<String> notes = new ArrayList<>();
            FashionMnist data = FashionMnist.load(List.of(tmp.resolve("nothing")), cache, dl, notes::add);

            assertTrue(notes.isEmpty(), notes.toString());
            assertFalse(data.isSample());
            assertEquals(cache.toAbsolutePath().normalize().toString(), data.source());
            assertEquals(3000, data.train().size());
            for (String base : FashionMnist.FILES) {
                assertEquals(md5.get(base + ".gz"), md5(cache.resolve(base + ".gz")));
            }
            try (var files = Files.list(cache)) {
                assertEquals(4, files.count(), "no temp files left behind");
            }
            String out = progress.toString(StandardCharsets.UTF_8);
            assertEquals(4, out.lines().count(), out);
            assertTrue(out.lines().allMatch(l -> l.startsWith("downloading " + url) && l.contains("100%")), out);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void checksumMismatchKeepsNothingAndFallsBack() throws Exception {
        Path served = copySample(tmp.resolve("served"));
        HttpServer server = serve(served);
        try {
            Map<String, String> md5 = new HashMap<>();
            for (String base : FashionMnist.FILES) {
                md5.put(base + ".gz", "00000000000000000000000000000000");
            }
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            Downloader dl = new Downloader(List.of(url), md5, Duration.ofSeconds(3), QUIET);
            Path cache = tmp.resolve("cache");
            List<String> notes = new ArrayList<>();
            FashionMnist data = FashionMnist.load(List.of(), cache, dl, notes::add);

            assertTrue(data.isSample());
            assertEquals(1, notes.size());
            assertTrue(notes.get(0).contains("download failed: " + url + "train-images-idx3-ubyte.gz: MD5 mismatch"),
                    notes.get(0));
            try (var files = Files.list(cache)) {
                assertEquals(0, files.count(), "the bad file must not stay in the cache");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void unreachableMirrorFailsFast() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: connections are refused
        }
        Downloader dl = new Downloader(List.of("http://127.0.0.1:" + port + "/", "http://no-such-host.invalid/"),
                FashionMnist.OFFICIAL_MD5, Duration.ofSeconds(3), QUIET);
        List<String> notes = new ArrayList<>();
        long t0 = System.nanoTime();
        FashionMnist data = FashionMnist.load(List.of(tmp.resolve("none")), tmp.resolve("cache"), dl, notes::add);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(data.isSample());
        assertEquals(1, notes.size());
        assertTrue(notes.get(0).startsWith("note: Fashion-MNIST not found (looked in " + tmp.resolve("none")
                + "; download failed: "), notes.get(0));
        assertTrue(ms < 8000, "took " + ms + " ms");
    }

    // ------------------------------------------------------------ batches

    @Test
    void batchesHaveTheRightShapesTypesAndValues() {
        FashionMnist.Split train = FashionMnist.loadSample().train();
        assertEquals(12, train.numBatches(256));
        try (NDManager m = manager.newSubManager()) {
            Iterator<FashionMnist.Batch> it = train.batches(m, 256, false, null);
            FashionMnist.Batch first = it.next();
            assertEquals(new Shape(256, 1, 28, 28), first.x().getShape());
            assertEquals(DataType.FLOAT32, first.x().getDataType());
            assertEquals(new Shape(256), first.y().getShape());
            assertEquals(DataType.INT64, first.y().getDataType());

            float[] x = first.x().toFloatArray();
            long[] y = first.y().toLongArray();
            for (int i = 0; i < 256; i++) {
                assertEquals(train.label(i), y[i]);
            }
            for (int p = 0; p < FashionMnist.PIXELS; p++) {
                assertEquals(train.pixel(0, p / 28, p % 28) / 255f, x[p], 1e-7);
            }
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : x) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(0f, min);
            assertEquals(1f, max);

            int seen = 256;
            int batches = 1;
            FashionMnist.Batch last = first;
            while (it.hasNext()) {
                last = it.next();
                seen += last.size();
                batches++;
            }
            assertEquals(3000, seen);
            assertEquals(12, batches);
            assertEquals(3000 - 11 * 256, last.size()); // drop_last=False
            assertEquals(new Shape(184, 1, 28, 28), last.x().getShape());

            // later batches must not have overwritten the first one's memory
            assertArrayEquals(x, first.x().toFloatArray());
        }
    }

    @Test
    void shufflingIsAPermutationAndReproducibleWithASeed() {
        FashionMnist.Split test = FashionMnist.loadSample().test();
        try (NDManager m = manager.newSubManager()) {
            long[] a = allLabels(test, m, new Random(42));
            long[] b = allLabels(test, m, new Random(42));
            long[] c = allLabels(test, m, new Random(7));
            long[] plain = allLabels(test, m, null);
            assertArrayEquals(a, b);
            assertFalse(Arrays.equals(a, c));
            assertFalse(Arrays.equals(a, plain));
            long[] sortedA = a.clone();
            long[] sortedPlain = plain.clone();
            Arrays.sort(sortedA);
            Arrays.sort(sortedPlain);
            assertArrayEquals(sortedPlain, sortedA);
            assertNotEquals(0, a.length);
        }
    }

    @Test
    void headAndArgumentChecks() {
        FashionMnist.Split train = FashionMnist.loadSample().train();
        FashionMnist.Split head = train.head(10);
        assertEquals(10, head.size());
        assertEquals(1, head.numBatches(64));
        assertThrows(IllegalArgumentException.class, () -> train.numBatches(0));
        assertThrows(IllegalArgumentException.class, () -> train.head(3001));
        assertThrows(IndexOutOfBoundsException.class, () -> head.label(10));
        assertEquals(10, FashionMnist.LABELS.length);
        assertEquals("ankle boot", FashionMnist.LABELS[9]);
        assertEquals("t-shirt", FashionMnist.LABELS[0]);
    }

    // ------------------------------------------------------------ helpers

    private static FashionMnist load(Path dir) {
        return FashionMnist.load(List.of(dir), null, null, s -> { });
    }

    private static long[] allLabels(FashionMnist.Split split, NDManager m, Random rng) {
        long[] out = new long[split.size()];
        int k = 0;
        for (Iterator<FashionMnist.Batch> it = split.batches(m, 100, rng != null, rng); it.hasNext(); ) {
            try (FashionMnist.Batch b = it.next()) {
                for (long v : b.y().toLongArray()) {
                    out[k++] = v;
                }
            }
        }
        assertEquals(split.size(), k);
        return out;
    }

    private static int[] firstLabels(FashionMnist.Split s, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.label(i);
        }
        return out;
    }

    private static int pixelSum(FashionMnist.Split s, int index) {
        int sum = 0;
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                sum += s.pixel(index, r, c);
            }
        }
        return sum;
    }

    /** Copies the shipped sample (from the classpath) into {@code dir}. */
    static Path copySample(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String base : FashionMnist.FILES) {
            try (InputStream in = FashionMnist.class.getResourceAsStream(
                    FashionMnist.SAMPLE_RESOURCE_DIR + base + ".gz")) {
                Files.copy(in, dir.resolve(base + ".gz"));
            }
        }
        return dir;
    }

    private static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void writeGz(Path f, byte[] data) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(data);
        }
    }

    private static String md5(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(f)));
    }

    private static HttpServer serve(Path dir) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            Path f = dir.resolve(ex.getRequestURI().getPath().substring(1));
            if (Files.isRegularFile(f)) {
                byte[] body = Files.readAllBytes(f);
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            } else {
                ex.sendResponseHeaders(404, -1);
                ex.close();
            }
        });
        server.start();
        return server;
    }
}

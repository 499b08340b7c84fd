package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Fashion-MNIST data set (Zalando Research): 60000 training and 10000 test images of 28x28
 * grey pixels in 10 classes, decoded into plain Java arrays.
 *
 * <p>Where the files come from, first match wins:
 *
 * <ol>
 *   <li>the explicit {@code dataDir} argument, when not null;
 *   <li>the directory in the environment variable {@code CNN_DATA};
 *   <li>{@code /usr/share/datasets/fashion-mnist} (Debian package {@code dataset-fashion-mnist});
 *   <li>the cache {@code ~/.cnn/data/fashion-mnist};
 *   <li>a download of the official files into that cache (skipped when the system property
 *       {@code cnnscript.download} is {@code false});
 *   <li>the 3000/1000-image sample shipped inside the jar, announced by one note line.
 * </ol>
 *
 * A directory counts when it holds all four files, gzipped ({@code train-images-idx3-ubyte.gz})
 * or not ({@code train-images-idx3-ubyte}). A directory that holds them but whose files are broken
 * is an error ({@link DatasetException}), not a reason to fall back silently.
 *
 * <p>Decoded data sets are cached per directory for the life of the JVM, so loading twice is free.
 */
public final class FashionMnist {

    /** Class names, indexed by label. */
    public static final String[] LABELS = {
        "t-shirt", "trouser", "pullover", "dress", "coat",
        "sandal", "shirt", "sneaker", "bag", "ankle boot"
    };

    public static final int ROWS = 28;
    public static final int COLS = 28;
    public static final int PIXELS = ROWS * COLS;
    public static final int NUM_CLASSES = 10;

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    static final String SAMPLE_RESOURCE_DIR = "fashion-mnist-sample/";

    /** MD5 of the official gzipped files as published by zalandoresearch/fashion-mnist. */
    static final Map<String, String> OFFICIAL_MD5 = Map.of(
            TRAIN_IMAGES + ".gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            TRAIN_LABELS + ".gz", "25c81989df183df01b3e8a0aad5dffbe",
            TEST_IMAGES + ".gz", "bef4ecab320f06d8554ea6380940ec79",
            TEST_LABELS + ".gz", "bb300cfdad3c16e7a12a480ee83cd310");

    static final List<String> OFFICIAL_MIRRORS = List.of(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
            "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/");

    private static final Map<String, FashionMnist> CACHE = new ConcurrentHashMap<>();
    private static final Set<String> FELL_BACK = ConcurrentHashMap.newKeySet();

    /** Pixel byte to [0,1] float, so batch building is a table look-up per pixel. */
    private static final float[] SCALE = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            SCALE[i] = i / 255f;
        }
    }

    private final Split train;
    private final Split test;
    private final String source;
    private final boolean sample;

    private FashionMnist(Split train, Split test, String source, boolean sample) {
        this.train = train;
        this.test = test;
        this.source = source;
        this.sample = sample;
    }

    /**
     * Loads Fashion-MNIST from the usual places (see the class comment).
     *
     * @param dataDir directory tried first; may be null
     * @param err receives the download progress and the note when falling back to the sample
     * @throws DatasetException when a directory has the files but they cannot be decoded
     */
    public static FashionMnist load(Path dataDir, PrintStream err) {
        Objects.requireNonNull(err, "err");
        return load(dataDir, err, err::println);
    }

    /** As {@link #load(Path, PrintStream)}, with the fallback note going to {@code note}. */
    public static FashionMnist load(Path dataDir, PrintStream progress, Consumer<String> note) {
        return load(dataDir, progress, note, (path, write) -> true);
    }

    /**
     * As above, looking only in the folders {@code allowed} lets it read, and downloading only
     * when it lets it write to the cache (an engine without file access gets the sample).
     */
    public static FashionMnist load(Path dataDir, PrintStream progress, Consumer<String> note,
            java.util.function.BiPredicate<Path, Boolean> allowed) {
        List<Path> dirs = new ArrayList<>();
        if (dataDir != null) {
            dirs.add(dataDir);
        }
        String env = System.getenv("CNN_DATA");
        if (env != null && !env.isBlank()) {
            dirs.add(Path.of(env));
        }
        dirs.add(SYSTEM_DIR);
        Path cache = defaultCacheDir();
        dirs.add(cache);
        dirs.removeIf(d -> !allowed.test(d, false));
        boolean download = !"false".equalsIgnoreCase(System.getProperty("cnnscript.download"))
                && allowed.test(cache, true);
        Downloader downloader = download
                ? new Downloader(OFFICIAL_MIRRORS, OFFICIAL_MD5, Duration.ofSeconds(3), progress)
                : null;
        return load(dirs, cache, downloader, note, allowed);
    }

    /** The lookup with every file allowed (tests). */
    static FashionMnist load(List<Path> dirs, Path cacheDir, Downloader downloader, Consumer<String> note) {
        return load(dirs, cacheDir, downloader, note, (path, write) -> true);
    }

    /**
     * The lookup itself, with every outside input explicit so tests can run it on temp dirs.
     *
     * @param dirs directories tried in order
     * @param cacheDir where a download goes; ignored when {@code downloader} is null
     * @param downloader null disables downloading
     * @param note receives the single line announcing the sample fallback
     * @param allowed says whether each file found may be read: a file that is a link leading
     *     outside the allowed folders is refused, not followed
     */
    static FashionMnist load(List<Path> dirs, Path cacheDir, Downloader downloader, Consumer<String> note,
            java.util.function.BiPredicate<Path, Boolean> allowed) {
        for (Path dir : dirs) {
            Map<String, Path> files = findFiles(dir, allowed);
            if (files != null) {
                return loadDir(dir, files);
            }
        }
        // A lookup that already ended in the sample is not retried (no second download attempt,
        // no second note) until files appear in one of the directories.
        String missKey = dirs + " -> " + cacheDir + (downloader == null ? "" : " +download");
        if (FELL_BACK.contains(missKey)) {
            return loadSample();
        }
        String downloadProblem = null;
        if (downloader != null && cacheDir != null) {
            try {
                downloader.downloadAll(cacheDir, FILES.stream().map(f -> f + ".gz").toList());
            } catch (IOException | RuntimeException e) {
                downloadProblem = "download failed: " + io.cnnscript.lib.Errors.ioMessage(e);
            }
            Map<String, Path> files = findFiles(cacheDir, allowed);
            if (downloadProblem == null && files != null) {
                return loadDir(cacheDir, files);
            }
        }
        StringBuilder looked = new StringBuilder();
        for (Path dir : dirs) {
            looked.append(looked.length() == 0 ? "" : ", ").append(dir);
        }
        note.accept("note: Fashion-MNIST not found (looked in " + looked
                + (downloadProblem == null ? "" : "; " + downloadProblem)
                + "); using the 3000/1000-image sample shipped with cnnscript");
        FashionMnist sample = loadSample();
        FELL_BACK.add(missKey);
        return sample;
    }

    /** The sample shipped in the jar: the first 3000 training and 1000 test images. */
    public static FashionMnist loadSample() {
        return CACHE.computeIfAbsent("sample:", k -> readBoth(
                resourceOpener(TRAIN_IMAGES), resourceOpener(TRAIN_LABELS),
                resourceOpener(TEST_IMAGES), resourceOpener(TEST_LABELS), "sample shipped with cnnscript", true));
    }

    /** Drops every cached data set; for tests that rewrite files in place. */
    static void clearCache() {
        CACHE.clear();
        FELL_BACK.clear();
    }

    static Path defaultCacheDir() {
        String home = System.getenv("HOME"); // ~ as the shell sees it, as for every other file
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cnn", "data",
                "fashion-mnist");
    }

    public Split train() {
        return train;
    }

    public Split test() {
        return test;
    }

    /** True when this is the small sample shipped in the jar rather than the full set. */
    public boolean isSample() {
        return sample;
    }

    /** Directory the data came from, or a description of the built-in sample. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Fashion-MNIST(" + train.size() + " train, " + test.size() + " test, from " + source + ")";
    }

    // ---------------------------------------------------------------- loading

    /**
     * The four files of {@code dir} (gzipped preferred), or null unless all
     * four exist. A file that {@code allowed} refuses (a link out of the allowed folders) is an
     * error: it is never opened.
     */
    private static Map<String, Path> findFiles(Path dir, java.util.function.BiPredicate<Path, Boolean> allowed) {
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        Map<String, Path> files = new LinkedHashMap<>();
        for (String base : FILES) {
            Path gz = dir.resolve(base + ".gz");
            Path raw = dir.resolve(base);
            if (Files.isRegularFile(gz)) {
                files.put(base, gz);
            } else if (Files.isRegularFile(raw)) {
                files.put(base, raw);
            } else {
                return null;
            }
        }
        for (Path file : files.values()) {
            if (!allowed.test(file, false)) {
                throw new DatasetException(file.getFileName() + " is a link to a file outside the folders this "
                        + "engine may use; it was not read");
            }
        }
        return files;
    }

    private static FashionMnist loadDir(Path dir, Map<String, Path> files) {
        String key = dir.toAbsolutePath().normalize().toString();
        return CACHE.computeIfAbsent(key, k -> {
            return readBoth(fileOpener(files.get(TRAIN_IMAGES)), fileOpener(files.get(TRAIN_LABELS)),
                    fileOpener(files.get(TEST_IMAGES)), fileOpener(files.get(TEST_LABELS)), key, false);
        });
    }

    /** A named way to open one file, so errors can name the file whatever its origin. */
    private record Opener(String name, Opening opening) {}

    @FunctionalInterface
    private interface Opening {
        InputStream open() throws IOException;
    }

    private static Opener fileOpener(Path path) {
        return new Opener(path.toString(), () -> Files.newInputStream(path));
    }

    private static Opener resourceOpener(String base) {
        String res = SAMPLE_RESOURCE_DIR + base + ".gz";
        URL url = FashionMnist.class.getResource(res);
        if (url == null) {
            throw new DatasetException(FashionMnist.class.getPackageName().replace('.', '/') + "/" + res
                    + ": sample resource missing from the classpath");
        }
        return new Opener(url.toString(), url::openStream);
    }

    /** Decodes the test split on a second thread meanwhile: gunzip is the whole cost of loading. */
    private static FashionMnist readBoth(Opener trainImages, Opener trainLabels, Opener testImages,
                                         Opener testLabels, String source, boolean sample) {
        CompletableFuture<Split> test = CompletableFuture.supplyAsync(() -> readSplit(testImages, testLabels));
        Split train = readSplit(trainImages, trainLabels);
        try {
            return new FashionMnist(train, test.join(), source, sample);
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }

    private static Split readSplit(Opener images, Opener labels) {
        Idx.Images img;
        try (InputStream in = Idx.open(images.opening().open(), images.name())) {
            img = Idx.readImages(in, images.name());
        } catch (IOException e) {
            throw new DatasetException(images.name() + ": cannot read: " + io.cnnscript.lib.Errors.ioMessage(e), e);
        }
        if (img.rows() != ROWS || img.cols() != COLS) {
            throw new DatasetException(images.name() + ": images are " + img.rows() + "x" + img.cols()
                    + ", expected " + ROWS + "x" + COLS);
        }
        byte[] lab;
        try (InputStream in = Idx.open(labels.opening().open(), labels.name())) {
            lab = Idx.readLabels(in, labels.name(), NUM_CLASSES);
        } catch (IOException e) {
            throw new DatasetException(labels.name() + ": cannot read: " + io.cnnscript.lib.Errors.ioMessage(e), e);
        }
        if (lab.length != img.count()) {
            throw new DatasetException(labels.name() + ": has " + lab.length + " labels but "
                    + images.name() + " has " + img.count() + " images");
        }
        return new Split(img.pixels(), lab, img.count());
    }

    // ---------------------------------------------------------------- batches

    /** One batch: {@code x} float32 (B, 1, 28, 28) in [0,1], {@code y} int64 (B). */
    public record Batch(NDArray x, NDArray y) implements AutoCloseable {

        public int size() {
            return (int) y.size();
        }

        /** Frees both arrays now instead of when their manager closes. */
        @Override
        public void close() {
            x.close();
            y.close();
        }
    }

    /** Reusable native-order direct buffers for building batches of up to {@code capacity}. */
    private static final class Staging {
        final int capacity;
        final ByteBuffer x;
        final ByteBuffer y;
        final float[] row;
        final int[] resized;
        final int[] temp;

        Staging(int capacity, int pixels) {
            this.capacity = capacity;
            this.row = new float[pixels];
            this.resized = new int[pixels];
            this.temp = new int[(int) Math.sqrt(pixels) * ROWS];
            this.x = ByteBuffer.allocateDirect(Math.max(1, capacity) * pixels * Float.BYTES).order(ByteOrder.nativeOrder());
            this.y = ByteBuffer.allocateDirect(Math.max(1, capacity) * Long.BYTES).order(ByteOrder.nativeOrder());
        }
    }

    /**
     * The images and labels of one split, held in plain arrays. Immutable; safe to share across
     * threads.
     */
    public static final class Split {

        private final byte[] pixels;
        private final byte[] labels;
        private final int size;
        /** The side of the images batches give: 28, or what {@link #resized} asked for. */
        private final int side;
        private final PilResize resize;

        Split(byte[] pixels, byte[] labels, int size) {
            this(pixels, labels, size, ROWS);
        }

        private Split(byte[] pixels, byte[] labels, int size, int side) {
            this.pixels = pixels;
            this.labels = labels;
            this.size = size;
            this.side = side;
            this.resize = side == ROWS ? null : new PilResize(ROWS, side);
        }

        /**
         * The same examples with images resized to side x side as d2l's
         * {@code load_data_fashion_mnist(resize=side)} gives them (Pillow's bilinear resize of
         * the 8-bit image, then scaled to [0, 1]). Resizing happens batch by batch.
         */
        public Split resized(int side) {
            if (side <= 0) {
                throw new IllegalArgumentException("resize must be positive, got " + side);
            }
            return new Split(pixels, labels, size, side);
        }

        /** The side of the images in batches. */
        public int side() {
            return side;
        }

        public int size() {
            return size;
        }

        public int label(int index) {
            Objects.checkIndex(index, size);
            return labels[index];
        }

        /** Pixel value 0..255 at (row, col) of image {@code index}. */
        public int pixel(int index, int row, int col) {
            Objects.checkIndex(index, size);
            Objects.checkIndex(row, ROWS);
            Objects.checkIndex(col, COLS);
            return pixels[index * PIXELS + row * COLS + col] & 0xff;
        }

        /** The first {@code n} examples (sharing the arrays), e.g. for a quick run. */
        public Split head(int n) {
            if (n < 0 || n > size) {
                throw new IllegalArgumentException("head(" + n + ") of a split of " + size);
            }
            return new Split(pixels, labels, n, side);
        }

        /** Number of batches per epoch, the last one possibly partial. */
        public int numBatches(int batchSize) {
            checkBatchSize(batchSize);
            return (size + batchSize - 1) / batchSize;
        }

        /**
         * Iterates once over the split in batches. The last batch is kept even when smaller
         * (PyTorch's {@code drop_last=False}). With {@code shuffle}, the order is a permutation
         * drawn from {@code rng} when this method is called, so a seeded {@code Random} gives a
         * reproducible order.
         *
         * <p>The arrays of each batch are created in the caller's {@code manager} and belong to
         * it: close the batch (or a sub-manager per step) to keep native memory flat over an
         * epoch. Each batch owns its memory (later batches never change earlier ones). The
         * iterator reuses one staging buffer, so use it from one thread.
         */
        public Iterator<Batch> batches(NDManager manager, int batchSize, boolean shuffle, Random rng) {
            Objects.requireNonNull(manager, "manager");
            checkBatchSize(batchSize);
            int[] order = new int[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            if (shuffle) {
                Objects.requireNonNull(rng, "rng is required when shuffling");
                for (int i = size - 1; i > 0; i--) { // Fisher-Yates
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            return new Iterator<>() {
                private final Staging stage = new Staging(Math.min(batchSize, Math.max(size, 1)), side * side);
                private int next;

                @Override
                public boolean hasNext() {
                    return next < size;
                }

                @Override
                public Batch next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int end = Math.min(size, next + batchSize);
                    Batch b = batch(manager, order, next, end, stage);
                    next = end;
                    return b;
                }
            };
        }

        /** Builds the batch of the examples {@code order[from..to)} in {@code manager}. */
        public Batch batch(NDManager manager, int[] order, int from, int to) {
            return batch(manager, order, from, to, new Staging(to - from, side * side));
        }

        private Batch batch(NDManager manager, int[] order, int from, int to, Staging stage) {
            int b = to - from;
            if (b <= 0 || b > stage.capacity) {
                throw new IllegalArgumentException("bad batch range [" + from + ", " + to + ")");
            }
            int n = side * side;
            FloatBuffer xf = stage.x.clear().limit(b * n * Float.BYTES).asFloatBuffer();
            LongBuffer yl = stage.y.clear().limit(b * Long.BYTES).asLongBuffer();
            float[] row = stage.row;
            for (int k = from; k < to; k++) {
                int idx = Objects.checkIndex(order[k], size);
                int base = idx * PIXELS;
                if (resize == null) {
                    for (int p = 0; p < PIXELS; p++) {
                        row[p] = SCALE[pixels[base + p] & 0xff];
                    }
                } else {
                    resize.resize(pixels, base, stage.resized, stage.temp);
                    for (int p = 0; p < n; p++) {
                        row[p] = SCALE[stage.resized[p]];
                    }
                }
                xf.put(row);
                yl.put(labels[idx]);
            }
            // PyTorch wraps a direct buffer without copying (from_blob), so the staging arrays
            // alias the reusable buffers: copy them into tensors that own their memory and drop
            // the aliases before the buffers are filled again. A fresh direct buffer per batch
            // would avoid the copy but costs far more, as the JVM frees direct memory only
            // after a GC.
            try (NDArray xs = manager.create(stage.x, new Shape(b, 1, side, side), DataType.FLOAT32);
                 NDArray ys = manager.create(stage.y, new Shape(b), DataType.INT64)) {
                return new Batch(xs.duplicate(), ys.duplicate());
            }
        }

        private static void checkBatchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
            }
        }
    }
}

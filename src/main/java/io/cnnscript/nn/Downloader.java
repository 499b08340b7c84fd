package io.cnnscript.nn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fetches files over HTTP into a directory, verifying MD5 checksums.
 *
 * <p>Each file goes to a temporary file in the target directory and is renamed into place only
 * once complete and verified, so an interrupted download never leaves a half file under the real
 * name. The connect timeout is short because the usual failure (no network) should cost seconds,
 * not minutes, before the caller falls back to something else.
 */
final class Downloader {

    private final List<String> baseUrls;
    private final Map<String, String> md5ByName;
    private final Duration connectTimeout;
    private final PrintStream progress;

    /**
     * @param baseUrls mirrors tried in order, each ending in '/'
     * @param md5ByName expected lowercase hex MD5 per file name
     * @param progress where a progress line per file goes (typically stderr)
     */
    Downloader(List<String> baseUrls, Map<String, String> md5ByName, Duration connectTimeout, PrintStream progress) {
        this.baseUrls = List.copyOf(baseUrls);
        this.md5ByName = Map.copyOf(md5ByName);
        this.connectTimeout = connectTimeout;
        this.progress = progress;
    }

    /** Downloads every file named in the checksum map that {@code dir} does not have yet. */
    void downloadAll(Path dir, List<String> names) throws IOException {
        Files.createDirectories(dir);
        HttpClient client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        for (String name : names) {
            if (Files.isRegularFile(dir.resolve(name))) {
                continue;
            }
            IOException last = null;
            for (String base : baseUrls) {
                try {
                    download(client, URI.create(base + name), dir, name);
                    last = null;
                    break;
                } catch (IOException e) {
                    last = e;
                }
            }
            if (last != null) {
                throw last;
            }
        }
    }

    private void download(HttpClient client, URI uri, Path dir, String name) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                // bounds the wait for the response headers, not the whole transfer
                .timeout(connectTimeout.multipliedBy(3))
                .GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(uri + ": interrupted", e);
        } catch (IOException e) {
            throw new IOException(uri + ": " + describe(e), e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException(uri + ": HTTP " + response.statusCode());
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        MessageDigest md5 = md5();
        Path tmp = Files.createTempFile(dir, name + ".", ".part");
        try {
            progress.print("downloading " + uri + " ");
            try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(tmp)) {
                byte[] buf = new byte[1 << 16];
                long done = 0;
                int shownTenths = 0;
                for (int r; (r = in.read(buf)) > 0; ) {
                    out.write(buf, 0, r);
                    md5.update(buf, 0, r);
                    done += r;
                    // one line per file: a dot per 10%, readable both on a terminal and in a log
                    while (length > 0 && shownTenths < 10 && done * 10 >= length * (shownTenths + 1)) {
                        shownTenths++;
                        progress.print(shownTenths == 10 ? "100%" : ".");
                    }
                }
                progress.println(" (" + (done / 1024) + " KiB)");
            } catch (IOException e) {
                progress.println(" failed");
                throw new IOException(uri + ": " + describe(e), e);
            }
            String actual = HexFormat.of().formatHex(md5.digest());
            String expected = md5ByName.get(name);
            if (expected != null && !expected.equalsIgnoreCase(actual)) {
                throw new IOException(uri + ": MD5 mismatch: expected " + expected + ", got " + actual);
            }
            moveIntoPlace(tmp, dir.resolve(name));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Why a request failed, in words (HttpClient hides "unknown host" in the root cause), without
     * Java class names: messages reach scripts, embedded ones too.
     */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        for (Throwable t : new Throwable[] {root, e}) {
            String m = t.getMessage() == null || t.getMessage().isBlank() ? "" : io.cnnscript.lib.Errors.firstLine(t);
            if (t instanceof java.net.UnknownHostException) {
                return "unknown host" + (m.isEmpty() ? "" : " " + m);
            }
            if (t instanceof java.net.ConnectException) {
                return "cannot connect" + (m.isEmpty() ? "" : ": " + m);
            }
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "timed out";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "secure connection failed" + (m.isEmpty() ? "" : ": " + m);
            }
            if (t instanceof java.nio.file.FileSystemException) {
                return io.cnnscript.lib.Errors.ioReason(t);
            }
        }
        String m = root.getMessage() == null || root.getMessage().isBlank() ? e.getMessage() : root.getMessage();
        return m == null || m.isBlank() ? "network error" : io.cnnscript.lib.Errors.firstLine(new Exception(m));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", e);
        }
    }
}

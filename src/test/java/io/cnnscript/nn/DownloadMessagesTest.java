package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import org.junit.jupiter.api.Test;

/** A failed download is said in words, without Java class names or the host's paths (they reach scripts). */
class DownloadMessagesTest {

    @Test
    void failuresAreSaidInWords() {
        assertEquals("unknown host example.invalid",
                Downloader.describe(new IOException(new UnknownHostException("example.invalid"))));
        assertEquals("cannot connect: Connection refused",
                Downloader.describe(new ConnectException("Connection refused")));
        assertEquals("timed out", Downloader.describe(new java.net.http.HttpTimeoutException("request timed out")));
        assertEquals("permission denied",
                Downloader.describe(new IOException(new AccessDeniedException("/home/someone/.cnn/data/x.part"))));
        assertEquals("stream was reset", Downloader.describe(new IOException("stream was reset")));
        assertEquals("network error", Downloader.describe(new IOException()));
    }
}

package io.cnnscript.nn;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for the IDX format of (Fashion-)MNIST, with strict validation.
 *
 * <p>Layout: two zero bytes, a type byte (0x08 = unsigned byte), the number of dimensions, then
 * one big-endian int32 per dimension, then the data. Every error becomes a {@link
 * DatasetException} naming {@code name} (the file path or resource URL).
 */
final class Idx {

    private static final int BUFFER = 1 << 16;

    private Idx() {}

    /** Decoded images: {@code count} images of {@code rows x cols} unsigned bytes, row-major. */
    record Images(int count, int rows, int cols, byte[] pixels) {}

    /** Opens {@code raw}, transparently gunzipping it when it starts with the gzip magic. */
    static InputStream open(InputStream raw, String name) {
        try {
            PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(raw, BUFFER), 2);
            byte[] head = in.readNBytes(2);
            in.unread(head);
            boolean gzip = head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            if (name.endsWith(".gz") && !gzip) {
                throw new DatasetException(name + ": not a gzip file (bad gzip header)");
            }
            return gzip ? new GZIPInputStream(in, BUFFER) : in;
        } catch (ZipException | EOFException e) {
            throw new DatasetException(name + ": corrupt gzip header: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read: " + io.cnnscript.lib.Errors.ioMessage(e), e);
        }
    }

    static Images readImages(InputStream in, String name) {
        int[] dims = readHeader(in, name, 3, "images");
        long total = (long) dims[0] * dims[1] * dims[2];
        if (total > Integer.MAX_VALUE - 16) {
            throw new DatasetException(name + ": implausible size " + dims[0] + "x" + dims[1] + "x" + dims[2]);
        }
        byte[] pixels = readBody(in, name, (int) total, "bytes of pixels");
        return new Images(dims[0], dims[1], dims[2], pixels);
    }

    static byte[] readLabels(InputStream in, String name, int numClasses) {
        int[] dims = readHeader(in, name, 1, "labels");
        byte[] labels = readBody(in, name, dims[0], "labels");
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= numClasses) {
                throw new DatasetException(name + ": label " + (labels[i] & 0xff) + " at index " + i
                        + " is out of range 0.." + (numClasses - 1));
            }
        }
        return labels;
    }

    /** Reads and checks the magic number and dimension sizes; returns the sizes. */
    private static int[] readHeader(InputStream in, String name, int numDims, String what) {
        byte[] magic = readFully(in, name, 4, "bytes of header");
        int expectedMagic = 0x0800 | numDims;
        int found = ((magic[0] & 0xff) << 24) | ((magic[1] & 0xff) << 16) | ((magic[2] & 0xff) << 8) | (magic[3] & 0xff);
        if (found != expectedMagic) {
            throw new DatasetException(String.format(
                    "%s: bad magic number, expected 0x%08x (IDX unsigned-byte %s with %d dimension%s)",
                    name, expectedMagic, what, numDims, numDims == 1 ? "" : "s"));
        }
        byte[] sizes = readFully(in, name, 4 * numDims, "bytes of header");
        int[] dims = new int[numDims];
        for (int d = 0; d < numDims; d++) {
            int o = 4 * d;
            dims[d] = ((sizes[o] & 0xff) << 24) | ((sizes[o + 1] & 0xff) << 16)
                    | ((sizes[o + 2] & 0xff) << 8) | (sizes[o + 3] & 0xff);
            if (dims[d] < 0) {
                throw new DatasetException(name + ": negative size " + dims[d] + " in dimension " + d);
            }
        }
        return dims;
    }

    /** Reads exactly {@code n} bytes of payload, then insists the stream ends there. */
    private static byte[] readBody(InputStream in, String name, int n, String what) {
        byte[] body = readFully(in, name, n, what);
        try {
            long extra = 0;
            byte[] skip = new byte[8192];
            for (int r; (r = in.read(skip)) > 0; ) {
                extra += r;
            }
            if (extra > 0) {
                throw new DatasetException(name + ": " + extra + " unexpected bytes after the " + n + " " + what);
            }
        } catch (EOFException e) {
            throw new DatasetException(name + ": truncated gzip stream after the " + what, e);
        } catch (IOException e) {
            throw new DatasetException(name + ": corrupt data after the " + what + ": " + e.getMessage(), e);
        }
        return body;
    }

    /** Fills a fresh array of length n, reporting how much was there if the data ends early. */
    private static byte[] readFully(InputStream in, String name, int n, String what) {
        byte[] buf = new byte[n];
        int off = 0;
        try {
            while (off < n) {
                int r = in.read(buf, off, n - off);
                if (r < 0) {
                    break;
                }
                off += r;
            }
        } catch (EOFException e) {
            // GZIPInputStream's way of saying the compressed file itself was cut off
            throw new DatasetException(name + ": truncated: gzip stream ends after " + off + " of " + n
                    + " " + what, e);
        } catch (ZipException e) {
            throw new DatasetException(name + ": corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DatasetException(name + ": cannot read: " + io.cnnscript.lib.Errors.ioMessage(e), e);
        }
        if (off < n) {
            throw new DatasetException(name + ": truncated: expected " + n + " " + what + ", found " + off);
        }
        return buf;
    }
}

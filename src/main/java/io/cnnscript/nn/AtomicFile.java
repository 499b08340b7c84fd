package io.cnnscript.nn;

import io.cnnscript.error.CnnException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * save()'s one way of writing a file: into a temporary file beside the target, renamed over it
 * when complete, so a crash or an error never leaves half a file and never harms the old one.
 */
final class AtomicFile {

    private AtomicFile() {}

    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes path (shown to the user as shown); errors name the path as the script wrote it. */
    static void write(Path path, String shown, Writer writer) {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || Files.isDirectory(target)) {
            throw new CnnException("save(): " + (shown.isEmpty() ? "the path is empty" : shown + " is a folder")
                    + "; give a file name such as 'net.params'");
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                writer.write(out);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new CnnException("save(): cannot write " + shown + ": " + io.cnnscript.lib.Errors.ioReason(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the target is untouched either way
                }
            }
        }
    }
}

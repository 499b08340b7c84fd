package io.cnnscript.lib;

/** Turns engine errors into text a user can read. */
public final class Errors {

    private Errors() {}

    /**
     * The first line of an exception's message: libtorch appends its C++ stack to what it says,
     * and DJL wraps it; the user needs only the sentence.
     */
    public static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        m = m.strip();
        int nl = m.indexOf('\n');
        if (nl > 0) {
            m = m.substring(0, nl).strip();
        }
        int raised = m.indexOf("Exception raised from");
        if (raised > 0) {
            m = m.substring(0, raised).strip();
        }
        return m;
    }

    /**
     * Why a file operation failed, in words and without the host's paths (an IOException's
     * message is usually the absolute path): messages name files as the script wrote them.
     */
    public static String ioReason(Throwable e) {
        if (e instanceof java.io.UncheckedIOException u) {
            e = u.getCause();
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "a part of the path is not a folder";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException) {
            return "it exists and is in the way";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "the folder is not empty";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT); // e.g. "read-only file system"
        }
        return e instanceof java.io.IOException ? "input/output error" : firstLine(e);
    }

    /**
     * As {@link #ioReason}, but a plain IOException's own message is kept: cnnscript's code
     * throws those with a sentence ("it is a folder, not a file"); the JDK's file errors, whose
     * messages are the host's paths, are FileSystemExceptions and are put in words.
     */
    public static String ioMessage(Throwable e) {
        if (e instanceof java.io.UncheckedIOException u && u.getCause() != null) {
            e = u.getCause();
        }
        if (e.getClass() == java.io.IOException.class && e.getMessage() != null && !e.getMessage().isBlank()) {
            return firstLine(e);
        }
        return ioReason(e);
    }
}

package io.cnnscript.interp;

import io.cnnscript.error.CnnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/** The file access an engine gives its scripts: none, or reading and writing under some folders. */
public final class FilePolicy {

    private FilePolicy() {}

    /**
     * What the cnn command allows. Without a sandbox, everything the user may touch, as
     * {@code python script.py} does; relative paths are taken from the working folder. With
     * {@code --sandbox DIR}s, reading and writing under those folders only, and reading the data
     * sets ($CNN_DATA, Debian's /usr/share/datasets); relative paths still start at the working
     * folder.
     */
    public static Interpreter.PathPolicy commandLine(List<Path> sandbox) {
        Path cwd = Path.of("").toAbsolutePath();
        if (sandbox.isEmpty()) {
            return (path, write) -> cwd.resolve(path).normalize();
        }
        List<Path> boxes = sandbox.stream().map(d -> cwd.resolve(d).normalize()).toList();
        Interpreter.PathPolicy writable = under(boxes);
        List<Path> readRoots = new java.util.ArrayList<>(boxes);
        String data = System.getenv("CNN_DATA");
        if (data != null && !data.isBlank()) {
            readRoots.add(cwd.resolve(data).normalize());
        }
        readRoots.add(Path.of("/usr/share/datasets"));
        Interpreter.PathPolicy readable = under(readRoots);
        return (path, write) -> {
            Path abs = cwd.resolve(path);
            try {
                return write ? writable.check(abs, true) : readable.check(abs, false);
            } catch (CnnException refused) {
                throw new CnnException("the path " + path + " is outside the --sandbox folders ("
                        + String.join(", ", boxes.stream().map(Path::toString).toList())
                        + (write ? ")" : "; data sets may also be read from $CNN_DATA and /usr/share/datasets)"));
            }
        };
    }

    /** No file access at all: the default for embedded engines. */
    public static Interpreter.PathPolicy none() {
        return (path, write) -> {
            throw new CnnException("file access is off in this engine (the application did not allow it): " + path);
        };
    }

    /**
     * Access under the given folders only. A relative path is taken from the first folder. A
     * path that leaves them is refused, whether by "..", by an absolute path or by a symbolic
     * link anywhere along the way (the file itself included); an empty path is refused. The
     * answer is the real path, links followed: the file that was checked.
     */
    public static Interpreter.PathPolicy under(List<Path> roots) {
        List<Path> real = roots.stream().map(FilePolicy::realOrNormal).toList();
        return (path, write) -> {
            if (path.toString().isEmpty()) {
                throw new CnnException("the path is empty; give a file or folder name");
            }
            Path resolved = real.get(0).resolve(path).toAbsolutePath().normalize();
            Path checked = realOrNormal(resolved);
            for (Path root : real) {
                if (checked.startsWith(root)) {
                    // The real path (links followed) is what was checked, so it is what gets opened.
                    return checked;
                }
            }
            // The folders are not named: an embedded script has no business learning the host's layout.
            throw new CnnException("the path " + path + " is outside the folders this engine may use");
        };
    }

    /**
     * The path with every symbolic link resolved, as far as it exists; the part that does not
     * exist yet (a file about to be written) is added as it is.
     */
    static Path realOrNormal(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        Path rest = null;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            rest = rest == null ? existing.getFileName() : existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            Path real = existing.toRealPath();
            return rest == null ? real : real.resolve(rest).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /** The home folder as the shell sees it: $HOME (Java's user.home ignores it), else user.home. */
    public static String home() {
        String home = System.getenv("HOME");
        return home != null && !home.isBlank() ? home : System.getProperty("user.home");
    }

    /**
     * "~" and "~/..." as the shell expands them, from $HOME; "~name/..." is refused rather than
     * made into a folder named "~name".
     */
    public static String expandHome(String path) {
        if (!path.startsWith("~")) {
            return path;
        }
        if (path.equals("~") || path.startsWith("~/")) {
            return home() + path.substring(1);
        }
        throw new CnnException("the path " + path + " starts with ~name, which cnnscript does not expand; "
                + "write the folder out");
    }
}

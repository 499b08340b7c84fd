package io.cnnscript.jupyter;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kernelspec {@code cnnscript}: a folder {@code kernels/cnnscript} with a kernel.json that
 * tells Jupyter how to start the kernel. It goes into the user's Jupyter data folder
 * ({@code $JUPYTER_DATA_DIR}, else {@code $XDG_DATA_HOME/jupyter}, else
 * {@code ~/.local/share/jupyter}), or with {@code --prefix DIR} into {@code DIR/share/jupyter}
 * (an environment's own folder).
 */
public final class KernelSpec {

    public static final String NAME = "cnnscript";
    /** The launcher's malloc tuning (see ./cnn), for kernels started without the launcher. */
    static final String GLIBC_TUNABLES =
            "glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824";

    private KernelSpec() {}

    /** The Jupyter data folder for a prefix (null: the user's), from the environment as Jupyter reads it. */
    public static Path dataDir(Path prefix, Map<String, String> env) {
        if (prefix != null) {
            return prefix.resolve("share").resolve("jupyter");
        }
        String dir = env.get("JUPYTER_DATA_DIR");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir);
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "jupyter");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "jupyter");
    }

    /**
     * The command that starts the kernel: the cnn launcher when this JVM was started by it (it
     * sets the JVM options and the malloc tuning, and rebuilds after a change), else this JVM's
     * java and class path with the same options.
     */
    static JsonObject kernelJson(String launcher) {
        JsonObject spec = new JsonObject();
        JsonArray argv = new JsonArray();
        List<String> command = new ArrayList<>();
        if (launcher != null) {
            command.add(launcher);
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:+UseParallelGC");
            command.add("-Dai.djl.offline=true");
            command.add("-cp");
            command.add(classPath());
            command.add("io.cnnscript.cli.Main");
        }
        command.add("--kernel");
        command.add("{connection_file}");
        command.forEach(argv::add);
        spec.add("argv", argv);
        spec.addProperty("display_name", "cnnscript");
        spec.addProperty("language", "cnnscript");
        spec.addProperty("interrupt_mode", "message");
        if (launcher == null) {
            JsonObject env = new JsonObject();
            env.addProperty("GLIBC_TUNABLES", GLIBC_TUNABLES);
            spec.add("env", env);
        }
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", false);
        spec.add("metadata", metadata);
        return spec;
    }

    private static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!p.isEmpty()) {
                parts.add(Path.of(p).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    /** Writes kernels/cnnscript/kernel.json under dataDir (atomically) and returns its folder. */
    public static Path install(Path dataDir, String launcher) throws IOException {
        Path dir = dataDir.resolve("kernels").resolve(NAME);
        Files.createDirectories(dir);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(kernelJson(launcher)) + "\n";
        Path tmp = Files.createTempFile(dir, ".kernel", ".json.tmp");
        try {
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve("kernel.json"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve("kernel.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return dir;
    }

    /** Removes kernels/cnnscript under dataDir; false when it was not there. */
    public static boolean uninstall(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("kernels").resolve(NAME);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        return true;
    }

    /** {@code cnn --install-kernel [--prefix DIR]} and {@code --uninstall-kernel}: the exit status. */
    public static int main(boolean install, Path prefix) {
        Path data = dataDir(prefix, System.getenv());
        try {
            if (install) {
                Path dir = install(data, System.getProperty("cnn.launcher"));
                System.out.println("installed the Jupyter kernel 'cnnscript' in " + dir);
            } else if (uninstall(data)) {
                System.out.println("removed the Jupyter kernel 'cnnscript' from " + data.resolve("kernels"));
            } else {
                System.out.println("no Jupyter kernel 'cnnscript' in " + data.resolve("kernels"));
            }
            return 0;
        } catch (IOException | SecurityException e) {
            System.err.println("cnn: cannot " + (install ? "install" : "remove") + " the kernel in " + data + ": "
                    + e.getMessage());
            return 1;
        }
    }
}

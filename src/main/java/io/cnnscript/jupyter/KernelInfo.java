package io.cnnscript.jupyter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What kernel_info_reply says about cnnscript. */
final class KernelInfo {

    private KernelInfo() {}

    static String version() {
        String v = Kernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static JsonObject reply() {
        JsonObject r = new JsonObject();
        r.addProperty("status", "ok");
        r.addProperty("protocol_version", Wire.PROTOCOL_VERSION);
        r.addProperty("implementation", "cnnscript");
        r.addProperty("implementation_version", version());
        JsonObject lang = new JsonObject();
        lang.addProperty("name", "cnnscript");
        lang.addProperty("version", version());
        lang.addProperty("mimetype", "text/x-cnnscript");
        lang.addProperty("file_extension", ".cnn");
        // cnnscript reads like Python with braces; Python's highlighting fits it best.
        lang.addProperty("codemirror_mode", "python");
        r.add("language_info", lang);
        r.addProperty("banner", "cnnscript " + version() + ": tensors and convolutional networks over PyTorch.\n"
                + "Tab completes names and X. members; Shift-Tab shows a built-in's doc or a variable's shape.");
        JsonArray links = new JsonArray();
        Path docs = docsDir();
        if (docs != null) {
            link(links, "cnnscript language", docs.resolve("LANGUAGE.md"));
            link(links, "cnnscript built-ins", docs.resolve("BUILTINS.md"));
            link(links, "cnnscript networks and training", docs.resolve("NN.md"));
            link(links, "cnnscript in Jupyter", docs.resolve("JUPYTER.md"));
        }
        r.add("help_links", links);
        return r;
    }

    private static void link(JsonArray links, String text, Path file) {
        if (Files.isRegularFile(file)) {
            JsonObject l = new JsonObject();
            l.addProperty("text", text);
            l.addProperty("url", file.toUri().toString());
            links.add(l);
        }
    }

    /** The docs folder of the checkout the kernel runs from (beside target/), if there is one. */
    static Path docsDir() {
        try {
            Path code = Path.of(Kernel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = code.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("docs")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                    return p.resolve("docs");
                }
            }
        } catch (URISyntaxException | SecurityException | NullPointerException
                | java.nio.file.FileSystemNotFoundException | IllegalArgumentException e) {
            // no known place: no links
        }
        return null;
    }
}

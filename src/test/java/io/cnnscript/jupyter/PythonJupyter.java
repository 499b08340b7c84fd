package io.cnnscript.jupyter;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Python scripts that use Debian's jupyter_client and nbclient (apt: python3-jupyter-client, python3-nbclient). */
final class PythonJupyter {

    static final String PYTHON = "/usr/bin/python3";

    private PythonJupyter() {}

    /** Whether /usr/bin/python3 has the modules. */
    static boolean has(String... modules) {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + String.join(", ", modules))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Installs the kernelspec (this JVM's class path, as a kernel started without the launcher)
     * into tmp/data, runs a script from the test resources there, and parses the JSON object it
     * prints last.
     */
    static JsonObject run(Path tmp, String resource, String... args) throws Exception {
        Path data = tmp.resolve("data");
        KernelSpec.install(data, null);
        Path script = tmp.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        try (var in = PythonJupyter.class.getResourceAsStream(resource)) {
            Files.copy(in, script);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(tmp.toFile());
        pb.environment().put("JUPYTER_DATA_DIR", data.toString());
        pb.environment().put("JUPYTER_PATH", data.toString());
        pb.environment().put("JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString());
        pb.environment().put("JUPYTER_CONFIG_DIR", tmp.resolve("config").toString());
        pb.environment().put("JUPYTER_PLATFORM_DIRS", "1");
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(resource + " did not finish; stderr:\n" + Files.readString(err));
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError(resource + " failed (" + p.exitValue() + "):\n" + Files.readString(err)
                    + "\nstdout:\n" + text);
        }
        String[] lines = text.strip().split("\n");
        return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
    }
}

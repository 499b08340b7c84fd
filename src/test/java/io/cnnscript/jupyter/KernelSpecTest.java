package io.cnnscript.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the kernelspec goes and what its kernel.json says. */
class KernelSpecTest {

    @Test
    void theDataFolderFollowsJupytersRules() {
        assertEquals(Path.of("/j"), KernelSpec.dataDir(null, Map.of("JUPYTER_DATA_DIR", "/j", "HOME", "/h")));
        assertEquals(Path.of("/x/jupyter"), KernelSpec.dataDir(null, Map.of("XDG_DATA_HOME", "/x", "HOME", "/h")));
        assertEquals(Path.of("/h/.local/share/jupyter"), KernelSpec.dataDir(null, Map.of("HOME", "/h")));
        assertEquals(Path.of("/env/share/jupyter"),
                KernelSpec.dataDir(Path.of("/env"), Map.of("JUPYTER_DATA_DIR", "/j")));
    }

    @Test
    void installWritesKernelJsonAndUninstallRemovesIt(@TempDir Path tmp) throws Exception {
        Path dir = KernelSpec.install(tmp, "/opt/cnnscript/cnn");
        assertEquals(tmp.resolve("kernels/cnnscript"), dir);
        JsonObject spec = JsonParser.parseString(Files.readString(dir.resolve("kernel.json"))).getAsJsonObject();
        assertEquals("[\"/opt/cnnscript/cnn\",\"--kernel\",\"{connection_file}\"]", spec.get("argv").toString());
        assertEquals("cnnscript", spec.get("display_name").getAsString());
        assertEquals("cnnscript", spec.get("language").getAsString());
        assertEquals("message", spec.get("interrupt_mode").getAsString());
        assertEquals(1, Files.list(dir).count(), "no temporary file is left");
        assertTrue(KernelSpec.uninstall(tmp));
        assertFalse(Files.exists(dir));
        assertFalse(KernelSpec.uninstall(tmp));
    }

    @Test
    void withoutTheLauncherTheSpecCarriesItsJvmSettings() {
        JsonObject spec = KernelSpec.kernelJson(null);
        String argv = spec.get("argv").toString();
        assertTrue(argv.contains("\"-XX:+UseParallelGC\"") && argv.contains("\"io.cnnscript.cli.Main\",\"--kernel\","
                + "\"{connection_file}\"]"), argv);
        assertEquals(KernelSpec.GLIBC_TUNABLES, spec.getAsJsonObject("env").get("GLIBC_TUNABLES").getAsString());
    }

    @Test
    void theMallocTuningIsTheLaunchers() throws Exception {
        String launcher = Files.readString(Path.of("cnn"));
        assertTrue(launcher.contains("GLIBC_TUNABLES:-" + KernelSpec.GLIBC_TUNABLES + "}"), "./cnn and KernelSpec differ");
    }
}

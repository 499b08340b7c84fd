package io.cnnscript.api.jsr223;

import java.util.List;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/**
 * JSR-223 entry point: {@code new ScriptEngineManager().getEngineByName("cnnscript")} (or by
 * the extension "cnn") finds it through META-INF/services.
 */
public final class CnnScriptEngineFactory implements ScriptEngineFactory {

    static final String VERSION = "0.1";

    private final java.util.function.Supplier<io.cnnscript.api.CnnEngine.Builder> settings;

    /** The factory ScriptEngineManager finds: engines with CnnEngine's defaults (no file access). */
    public CnnScriptEngineFactory() {
        this(io.cnnscript.api.CnnEngine::builder);
    }

    /**
     * A factory whose engines have the given settings: limits, allowFiles, writers. For example
     * {@code new CnnScriptEngineFactory(() -> CnnEngine.builder().timeout(Duration.ofSeconds(2))
     * .allowFiles(dir))}; register it with {@code manager.registerEngineName("cnnscript", factory)}
     * or call {@link #getScriptEngine()}. Each engine (and each Bindings it is given) gets a
     * CnnEngine built from a fresh builder.
     */
    public CnnScriptEngineFactory(java.util.function.Supplier<io.cnnscript.api.CnnEngine.Builder> settings) {
        this.settings = settings;
    }

    /** A new CnnEngine with this factory's settings. */
    io.cnnscript.api.CnnEngine newEngine() {
        return settings.get().build();
    }

    @Override
    public String getEngineName() {
        return "cnnscript";
    }

    @Override
    public String getEngineVersion() {
        return VERSION;
    }

    @Override
    public List<String> getExtensions() {
        return List.of("cnn");
    }

    @Override
    public List<String> getMimeTypes() {
        return List.of("text/x-cnnscript", "application/x-cnnscript");
    }

    @Override
    public List<String> getNames() {
        return List.of("cnnscript", "cnn");
    }

    @Override
    public String getLanguageName() {
        return "cnnscript";
    }

    @Override
    public String getLanguageVersion() {
        return VERSION;
    }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.ENGINE -> getEngineName();
            case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
            case ScriptEngine.LANGUAGE -> getLanguageName();
            case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
            case ScriptEngine.NAME -> "cnnscript";
            // Calls on one engine take turns (a lock); the variables are shared by the threads.
            case "THREADING" -> "MULTITHREADED";
            default -> null;
        };
    }

    @Override
    public String getMethodCallSyntax(String obj, String method, String... args) {
        return obj + "." + method + "(" + String.join(", ", args) + ")";
    }

    @Override
    public String getOutputStatement(String toDisplay) {
        return "print(\"" + toDisplay.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\")";
    }

    @Override
    public String getProgram(String... statements) {
        return String.join("\n", statements) + "\n";
    }

    @Override
    public ScriptEngine getScriptEngine() {
        return new CnnScriptEngine(this);
    }
}

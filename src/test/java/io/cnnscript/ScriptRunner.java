package io.cnnscript;

import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs cnnscript in-process the way ./cnn does, capturing what it prints and the error it stops with. */
public final class ScriptRunner {

    private ScriptRunner() {}

    /** What a run printed, and the error it ended with (null when it succeeded). */
    public record Result(String out, CnnException error) {
        /** stdout, then the error's "file:line:col: message" line as ./cnn prints it. */
        public String transcript() {
            return error == null ? out : out + error.getMessage() + "\n";
        }
    }

    public static Result run(String source, String file) {
        return run(source, file, false);
    }

    /**
     * Runs source; with {@code autograd} the engine is told that gradients are in use before it
     * starts, which turns the Java-side fast paths off (see HostTensors), so that a test can run
     * the same program with them and without them.
     */
    public static Result run(String source, String file, boolean autograd) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out), new PrintWriter(err))) {
            TestFiles.confine(in);
            if (autograd) {
                in.noteAutograd();
            }
            in.eval(source, file, false);
            return new Result(out.toString(), null);
        } catch (CnnException e) {
            return new Result(out.toString(), e);
        }
    }

    public static Result runFile(Path path) {
        try {
            return run(Files.readString(path, StandardCharsets.UTF_8), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Repository root (the tests run with the module directory as working directory). */
    public static Path root() {
        return Path.of("").toAbsolutePath();
    }
}

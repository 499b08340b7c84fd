package io.cnnscript.cli;

import io.cnnscript.error.CnnException;
import io.cnnscript.error.CnnExit;
import io.cnnscript.error.ErrorPrinter;
import io.cnnscript.interp.FilePolicy;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.repl.PlainSource;
import io.cnnscript.repl.Repl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The {@code cnn} command: {@code cnn FILE.cnn} runs a script, {@code cnn -e CODE} runs code,
 * {@code cnn} alone starts the REPL. Exit code 0 on success, 1 on a script error, 2 on bad usage.
 */
public final class Main {

    private static final String USAGE = String.join("\n",
            "usage: cnn [options] [FILE.cnn]",
            "       cnn [options] -e CODE",
            "",
            "  FILE.cnn        run a script (- reads it from the standard input)",
            "  -e CODE         run CODE",
            "  (nothing)       start the interactive REPL; piped input runs as a script",
            "  --sandbox DIR   let scripts read and write files only under DIR (repeatable);",
            "                  without it they may use every file you may, as python does",
            "  --install-kernel [--prefix DIR]   install the Jupyter kernel 'cnnscript'",
            "                    (into $JUPYTER_DATA_DIR or ~/.local/share/jupyter, or DIR/share/jupyter)",
            "  --uninstall-kernel [--prefix DIR] remove it",
            "  --kernel FILE   run as a Jupyter kernel with this connection file (Jupyter does this)",
            "  --debug         show Java stack traces and engine logs",
            "  --help          show this help",
            "  --version       show the version");

    private Main() {}

    public static void main(String[] args) throws Exception {
        boolean debug = false;
        String code = null;
        String file = null;
        Boolean installKernel = null;
        Path prefix = null;
        List<Path> sandbox = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--debug" -> debug = true;
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                case "--cds-warmup" -> {
                    configureLogging(false);
                    warmUp();
                    return;
                }
                case "--kernel" -> {
                    if (i + 1 >= args.length) {
                        usage("--kernel needs a connection file");
                    }
                    configureLogging(debug);
                    System.exit(io.cnnscript.jupyter.Kernel.main(Path.of(args[i + 1])));
                }
                case "--install-kernel" -> installKernel = true;
                case "--uninstall-kernel" -> installKernel = false;
                case "--prefix" -> {
                    if (i + 1 >= args.length) {
                        usage("--prefix needs a folder");
                    }
                    prefix = Path.of(args[++i]);
                }
                case "--version" -> {
                    System.out.println("cnnscript " + version());
                    return;
                }
                case "--sandbox" -> {
                    if (i + 1 >= args.length) {
                        usage("--sandbox needs a folder");
                    }
                    Path dir = Path.of(args[++i]);
                    if (!Files.isDirectory(dir)) {
                        usage("--sandbox " + args[i] + ": no such folder");
                    }
                    sandbox.add(dir);
                }
                case "-e" -> {
                    if (i + 1 >= args.length) {
                        usage("-e needs code to run");
                    }
                    code = args[++i];
                }
                default -> {
                    if (a.startsWith("-") && !a.equals("-")) {
                        usage("unknown option " + a);
                    }
                    if (file != null || code != null) {
                        usage("give one script file or one -e CODE");
                    }
                    file = a;
                }
            }
        }
        if (installKernel != null) {
            System.exit(io.cnnscript.jupyter.KernelSpec.main(installKernel, prefix));
        }
        if (prefix != null) {
            usage("--prefix goes with --install-kernel or --uninstall-kernel");
        }
        configureLogging(debug);
        // Scripts run on the interpreter's own big-stack thread; this one only waits.
        System.exit(run(code, file, debug, FilePolicy.commandLine(sandbox)));
    }

    /**
     * Touches the classes a session uses (the REPL's line reader, the parser, the interpreter,
     * tensors and layers) so that the launcher's class-data archive, recorded during this run,
     * holds them all: every later start maps them in ready-made.
     */
    private static void warmUp() throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(false).dumb(true)
                        .streams(new java.io.ByteArrayInputStream(new byte[0]), new java.io.ByteArrayOutputStream())
                        .build();
                Repl repl = new Repl(terminal, null, false)) {
            repl.getClass();
        }
        try {
            io.cnnscript.jupyter.Kernel.warmUp();
        } catch (IOException | RuntimeException | LinkageError e) {
            // Whatever fails here only leaves the kernel's classes out of the archive.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PrintWriter sink = new PrintWriter(java.io.Writer.nullWriter());
        try (Interpreter in = new Interpreter(ai.djl.ndarray.NDManager.newBaseManager(), sink, sink)) {
            in.eval(String.join("\n",
                    "X = tensor[[0, 1, 2], [3, 4, 5], [6, 7, 8]]",
                    "Y = corr2d(X, tensor[[0, 1], [2, 3]]); print(Y, Y.shape, Y.sum().item())",
                    "fn f(a, b=2) { for i in range(3) { a += i * b } return a }",
                    "print(f(1), [k * 2 for k in range(3)], \"%.3f\" % 0.5)",
                    "w = param(randn(1, 2)); l = ((w * 2) ** 2).sum(); backward(l); w -= 0.1 * w.grad; zero_grad(w)",
                    "net = Conv(1, 2, 3) >> ReLU >> MaxPool(2) >> Flatten >> Linear(2, 2); print(net(rand(1, 1, 6, 6)))"),
                    "<warm-up>", false);
        } catch (RuntimeException e) {
            // Whatever fails here only leaves some classes out of the archive.
        }
    }

    private static void usage(String message) {
        System.err.println("cnn: " + message);
        System.err.println(USAGE);
        System.exit(2);
    }

    static void configureLogging(boolean debug) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "info" : "error");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static int run(String code, String file, boolean debug, Interpreter.PathPolicy files) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        String source = code;
        String name = "<eval>";
        if (file != null && !file.equals("-")) {
            name = file;
            try {
                source = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                err.println("cnn: " + file + ": no such file");
                return 1;
            } catch (IOException | java.io.UncheckedIOException e) {
                err.println("cnn: " + file + ": cannot read it (" + e.getMessage() + ")");
                return 1;
            }
        }
        if ("-".equals(file) || (source == null && !stdinIsTerminal())) {
            // Piped input is a script, read whole and run as a file is (as `python < file` does):
            // continuation lines work, and the first error stops it.
            name = "<stdin>";
            try {
                source = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("cnn: cannot read the standard input (" + e.getMessage() + ")");
                return 1;
            }
        }
        if (source == null) {
            if (System.console() != null && !"plain".equals(System.getenv("CNN_REPL"))) {
                return richRepl(debug, out, err, files);
            }
            return plainRepl(debug, out, err, files);
        }
        try (Interpreter in = new Interpreter(ai.djl.ndarray.NDManager.newBaseManager(), out, err)) {
            in.setPathPolicy(files);
            in.setTerminalWidth(Main::stdoutColumns);
            in.eval(source, name, false);
            out.flush();
            return 0;
        } catch (CnnExit e) {
            out.flush();
            return e.status();
        } catch (CnnException e) {
            out.flush();
            ErrorPrinter.print(err, e, source, debug);
            return 1;
        } catch (RuntimeException | Error e) {
            out.flush();
            err.println("cnn: internal error: " + e);
            if (debug) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --debug for the Java trace, and please report it)");
            }
            return 1;
        }
    }

    /** Whether the standard input is a terminal (someone typing) rather than a file or a pipe. */
    static boolean stdinIsTerminal() {
        if (System.console() != null) {
            return true;
        }
        try {
            return new org.jline.terminal.impl.jni.JniTerminalProvider()
                    .isSystemStream(org.jline.terminal.spi.SystemStream.Input);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static Boolean stdoutIsTerminal;

    /**
     * The width of the terminal the standard output shows on (JLine's native call, else
     * $COLUMNS, else 80), asked at each progress draw so that a resized window counts; 0 when
     * the output goes to a file or a pipe, or TERM is dumb: then nothing is redrawn with '\r'.
     */
    static int stdoutColumns() {
        if (stdoutIsTerminal == null) {
            boolean tty;
            try {
                tty = new org.jline.terminal.impl.jni.JniTerminalProvider()
                        .isSystemStream(org.jline.terminal.spi.SystemStream.Output);
            } catch (RuntimeException | LinkageError e) {
                tty = System.console() != null; // Java 17: both standard input and output are terminals
            }
            stdoutIsTerminal = tty && !"dumb".equals(System.getenv("TERM"));
        }
        if (!stdoutIsTerminal) {
            return 0;
        }
        try {
            int w = new org.jline.terminal.impl.jni.JniTerminalProvider()
                    .systemStreamWidth(org.jline.terminal.spi.SystemStream.Output);
            if (w > 0) {
                return w;
            }
        } catch (RuntimeException | LinkageError e) {
            // fall back on $COLUMNS
        }
        try {
            int w = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").strip());
            if (w > 0) {
                return w;
            }
        } catch (NumberFormatException e) {
            // not set, or not a number
        }
        return 80;
    }

    /** The JLine REPL on the terminal; the plain loop when no terminal can be opened. */
    private static int richRepl(boolean debug, PrintWriter out, PrintWriter err, Interpreter.PathPolicy files) {
        Terminal terminal;
        long t0 = System.nanoTime();
        try {
            terminal = systemTerminal();
            if (Boolean.getBoolean("cnn.timing")) {
                long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                System.out.println("[terminal " + (System.nanoTime() - t0) / 1_000_000 + " ms; main at "
                        + (System.currentTimeMillis() - jvmStart - (System.nanoTime() - t0) / 1_000_000) + " ms]");
            }
        } catch (IOException | RuntimeException e) {
            err.println("cnn: no terminal for the interactive REPL (" + e.getMessage() + "); reading lines plainly");
            return plainRepl(debug, out, err, files);
        }
        Path history = historyFile();
        try (terminal; Repl repl = new Repl(terminal, history, debug, files)) {
            return repl.run();
        } catch (IOException e) {
            return 0; // closing the terminal failed; nothing is lost
        }
    }

    /**
     * The terminal cnn runs in. JLine's own native library comes first, and alone: letting JLine
     * also probe its JNA, Jansi and exec providers and run {@code infocmp} costs a quarter of a
     * second before the first prompt. The exec provider is the fallback.
     */
    static Terminal systemTerminal() throws IOException {
        String term = System.getenv("TERM");
        if (term != null && org.jline.utils.InfoCmp.getDefaultInfoCmp(term) != null) {
            // JLine ships this terminal's capabilities; do not start infocmp to read them again
            org.jline.utils.InfoCmp.setLoadedInfoCmp(term, org.jline.utils.InfoCmp.getDefaultInfoCmp(term));
        }
        String providers = System.getProperty("cnn.providers");
        if (providers == null) {
            try {
                Terminal t = TerminalBuilder.builder().system(true).name("cnn").providers("jni")
                        .jna(false).jansi(false).ffm(false).exec(false).dumb(false).build();
                if (!Terminal.TYPE_DUMB.equals(t.getType())) {
                    return t;
                }
                t.close();
            } catch (IOException | RuntimeException | LinkageError e) {
                // fall through to the slower, more tolerant probe
            }
            providers = "jni,exec";
        }
        return TerminalBuilder.builder().system(true).name("cnn").providers(providers).dumb(true).build();
    }

    /** $CNN_HISTORY, else ~/.cnn_history with ~ from $HOME (Java's user.home ignores $HOME). */
    static Path historyFile() {
        String file = System.getenv("CNN_HISTORY");
        if (file != null && !file.isBlank()) {
            return Path.of(file);
        }
        String home = System.getenv("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".cnn_history");
    }

    /**
     * The REPL reading lines plainly, for a terminal JLine cannot drive (the output redirected,
     * or CNN_REPL=plain): the same loop, prompts, echo rule and :commands as on JLine. With the
     * output redirected the prompts go to the terminal itself (/dev/tty; the launcher passes the
     * standard error through a line filter, which would hold a prompt back), so that the file
     * holds only what the session printed; where there is no such device, no prompts.
     */
    private static int plainRepl(boolean debug, PrintWriter out, PrintWriter err, Interpreter.PathPolicy files) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        boolean outIsTerminal = System.console() != null;
        PrintWriter tty = outIsTerminal ? null : controllingTerminal();
        // On the terminal, errors go with the output, in order with the prompts (as on JLine).
        // Ctrl-C drops the input being typed or stops the running statement, as in Python (and on JLine).
        PlainSource source = new PlainSource(lines, outIsTerminal ? out : tty, Main::stdoutColumns).catchingCtrlC();
        try (Repl repl = new Repl(source, out, outIsTerminal ? out : err,
                debug, files)) {
            return repl.run();
        } finally {
            if (tty != null) {
                tty.close();
            }
        }
    }

    /** A writer to the controlling terminal, or null when there is none. */
    private static PrintWriter controllingTerminal() {
        try {
            return new PrintWriter(new OutputStreamWriter(new java.io.FileOutputStream("/dev/tty"), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}

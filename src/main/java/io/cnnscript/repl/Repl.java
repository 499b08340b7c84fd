package io.cnnscript.repl;

import ai.djl.ndarray.NDArray;
import io.cnnscript.error.CnnException;
import io.cnnscript.error.CnnExit;
import io.cnnscript.error.ErrorPrinter;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Builtin;
import io.cnnscript.lib.Dtypes;
import io.cnnscript.lib.Suggest;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.terminal.Terminal;

/**
 * The REPL: one loop over the inputs of a {@link LineSource} (a JLine terminal, or a plain
 * stream of lines), with echo of expression values (hidden when the code ends with ';'),
 * {@code :commands}, errors that leave the session going, and Ctrl-C that stops a running
 * statement where the source can see it. Output goes to {@code out}; errors to {@code err}
 * (on a terminal both are the terminal, so that they appear in order with the prompt).
 */
public final class Repl implements AutoCloseable {

    static final String PROMPT = ">>> ";
    static final String CONTINUATION = "... ";

    private final PrintWriter out;
    private final PrintWriter err;
    private final LineSource source;
    private final Session session;
    private final boolean debug;

    /**
     * The REPL on a terminal through JLine; starts loading the engine once the prompt is up.
     *
     * @param history the history file, or null for none
     */
    public Repl(Terminal terminal, Path history, boolean debug) {
        this(terminal, history, debug, io.cnnscript.interp.FilePolicy.commandLine(java.util.List.of()));
    }

    /**
     * As above, with the files the session's scripts may use.
     *
     * @param files the file policy, as {@code cnn --sandbox} sets it
     */
    public Repl(Terminal terminal, Path history, boolean debug, io.cnnscript.interp.Interpreter.PathPolicy files) {
        this(null, idle -> new JLineSource(terminal, history, idle), terminal.writer(), terminal.writer(), debug, files);
    }

    /**
     * The REPL over another source of lines (a {@link PlainSource}, say).
     *
     * @param out where values and printed output go
     * @param err where errors go
     */
    public Repl(LineSource source, PrintWriter out, PrintWriter err, boolean debug,
            io.cnnscript.interp.Interpreter.PathPolicy files) {
        this(source, null, out, err, debug, files);
    }

    private Repl(LineSource given, java.util.function.Function<java.util.function.Supplier<Interpreter>, LineSource> make,
            PrintWriter out, PrintWriter err, boolean debug, io.cnnscript.interp.Interpreter.PathPolicy files) {
        this.out = out;
        this.err = err;
        this.debug = debug;
        // train() redraws its progress bar on the source's terminal, fitted to its width.
        this.session = new Session(out, err, files, in -> in.setTerminalWidth(this::columns));
        this.source = given != null ? given : make.apply(this::idleInterpreter);
        source.whenPromptShown(session::load);
    }

    private int columns() {
        return source.columns();
    }

    private Interpreter idleInterpreter() {
        return session.busy() ? null : session.idle();
    }

    /** Reads and runs until :quit, quit or the end of the input; returns the exit status. */
    public int run() {
        source.onInterrupt(session::interrupt);
        if (Boolean.getBoolean("cnn.timing")) {
            long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            out.println("[prompt " + (System.currentTimeMillis() - jvmStart) + " ms after the JVM started]");
        }
        source.greet("cnnscript REPL. :help lists commands and built-ins; " + source.features() + "Ctrl-D leaves.");
        while (true) {
            String input;
            try {
                input = source.read(PROMPT);
            } catch (IOException | java.io.UncheckedIOException e) {
                err.println("cnn: cannot read the input (" + e.getMessage() + ")");
                err.flush();
                return 1;
            } catch (LineSource.EndedInside e) {
                unfinished(e.pending());
                continue;
            }
            if (input == null) {
                break;
            }
            if (input.isBlank()) {
                continue;
            }
            String command = input.strip();
            if (command.startsWith(":")) {
                if (!command(command)) {
                    break;
                }
                continue;
            }
            if (isQuit(command)) {
                break;
            }
            Integer exit = run(input, "<stdin>", Session.echoes(input));
            if (exit != null) {
                return exit;
            }
        }
        out.flush();
        return 0;
    }

    /**
     * The input ended inside an unfinished statement: its error is shown (Python's "'[' was never
     * closed"), found by parsing alone, so that nothing of it runs.
     */
    private void unfinished(String text) {
        String code = text.stripLeading().startsWith(":time ") ? text.stripLeading().substring(":time ".length()) : text;
        try {
            session.call(in -> in.compile(code, "<stdin>", false));
            err.println("<stdin>: the input ended inside an unfinished statement; none of it was run");
        } catch (CnnException e) {
            out.flush();
            ErrorPrinter.print(err, e, code, debug);
        }
        out.flush();
        err.flush();
    }

    /** Python's ways to leave its REPL, which leave this one too: quit, exit, quit(), exit(). */
    public static boolean isQuit(String line) {
        return switch (line.strip()) {
            case "quit", "exit", "quit()", "exit()" -> true;
            default -> false;
        };
    }

    /**
     * Runs code and prints its error, if any, with its place; the session goes on either way,
     * unless the code called exit(): then its status.
     */
    private Integer run(String source, String file, boolean echo) {
        try {
            session.call(in -> {
                in.eval(source, file, echo);
                return null;
            });
        } catch (CnnExit e) {
            out.flush();
            return e.status();
        } catch (CnnException e) {
            out.flush();
            ErrorPrinter.print(err, e, source, debug);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            out.flush();
            err.println("internal error: " + e);
            if (debug) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --debug for the Java trace, and please report it)");
            }
        }
        out.flush();
        err.flush();
        return null;
    }

    /** Runs a :command; false means leave. */
    boolean command(String line) {
        int space = line.indexOf(' ');
        String name = space < 0 ? line : line.substring(0, space);
        String arg = space < 0 ? "" : line.substring(space + 1).strip();
        switch (name) {
            case ":quit", ":q", ":exit" -> {
                return false;
            }
            case ":help", ":h" -> out.print(arg.isEmpty() ? Help.overview(hostFunctions())
                    : Help.topic(arg, hostFunctions(), userVariables()));
            case ":vars" -> out.print(variables());
            case ":load" -> {
                if (!load(arg)) {
                    return false; // the file called exit()
                }
            }
            case ":time" -> time(arg);
            case ":reset" -> {
                report(() -> session.call(in -> {
                    in.reset();
                    in.sweep();
                    return null;
                }));
                out.println("the session is reset: every variable is gone");
            }
            case ":mem" -> report(() -> {
                long[] use = session.call(in -> {
                    in.sweep();
                    return in.memoryUsage();
                });
                out.println(use[0] + " native array" + (use[0] == 1 ? "" : "s") + ", " + bytes(use[1]));
            });
            default -> out.println("unknown command '" + name + "'"
                    + Suggest.hint(name, Help.COMMANDS.keySet()) + " (:help lists the commands)");
        }
        out.flush();
        return true;
    }

    private void report(Runnable action) {
        try {
            action.run();
        } catch (CnnException e) {
            out.flush();
            ErrorPrinter.print(err, e, null, debug);
            err.flush();
        }
    }

    /** The session's variables, or none while a statement runs. */
    private Map<String, Object> userVariables() {
        Interpreter in = idleInterpreter();
        return in == null ? Map.of() : in.userVariables();
    }

    private List<Builtin> hostFunctions() {
        List<Builtin> host = new ArrayList<>();
        Interpreter in = idleInterpreter();
        if (in != null) {
            for (Object v : in.userVariables().values()) {
                if (v instanceof Builtin b) {
                    host.add(b);
                }
            }
        }
        return host;
    }

    private String variables() {
        try {
            return session.call(in -> {
                StringBuilder sb = new StringBuilder();
                Map<String, Object> vars = in.userVariables();
                vars.remove("_");
                if (vars.isEmpty()) {
                    return "no variables yet\n";
                }
                int width = 4;
                for (String n : vars.keySet()) {
                    width = Math.max(width, n.length());
                }
                for (Map.Entry<String, Object> e : vars.entrySet()) {
                    Object v = e.getValue();
                    String what;
                    if (v instanceof NDArray a) {
                        what = TensorFormat.shape(a.getShape()) + "  " + Dtypes.name(a.getDataType());
                    } else {
                        what = Values.repr(v);
                        if (what.length() > 60) {
                            what = what.substring(0, 57) + "...";
                        }
                        what = what.replace('\n', ' ');
                    }
                    sb.append(String.format("  %-" + width + "s  %-10s %s%n", e.getKey(), Values.typeName(v), what));
                }
                return sb.toString();
            });
        } catch (CnnException e) {
            return e.getMessage() + "\n";
        }
    }

    /** Runs a file into the session; false when it called exit(). */
    private boolean load(String arg) {
        if (arg.isEmpty()) {
            out.println(":load needs a file: :load FILE.cnn");
            return true;
        }
        String source;
        try {
            // ~ as the shell and the file functions expand it: from $HOME.
            String file = io.cnnscript.interp.FilePolicy.expandHome(arg);
            source = Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            out.println(arg + ": no such file");
            return true;
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            out.println(arg + ": cannot read it (" + e.getMessage() + ")");
            return true;
        } catch (CnnException e) {
            out.println(e.getMessage()); // ~name/...
            return true;
        }
        return run(source, arg, false) == null;
    }

    private void time(String code) {
        if (code.isBlank()) {
            out.println(":time needs a statement: :time x = conv(X)");
            return;
        }
        long[] took = new long[1];
        try {
            session.call(in -> {
                long start = System.nanoTime();
                try {
                    in.eval(code, "<stdin>", Session.echoes(code));
                } finally {
                    took[0] = System.nanoTime() - start;
                }
                return null;
            });
        } catch (CnnException e) {
            out.flush();
            ErrorPrinter.print(err, e, code, debug);
            err.flush();
        }
        if (took[0] > 0) {
            out.println("time: " + duration(took[0]));
        }
    }

    static String duration(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return String.format("%.3f s", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format("%.3f ms", nanos / 1e6);
        }
        return String.format("%.1f µs", nanos / 1e3);
    }

    static String bytes(long n) {
        if (n >= 1L << 30) {
            return String.format("%.1f GiB", n / (double) (1L << 30));
        }
        if (n >= 1L << 20) {
            return String.format("%.1f MiB", n / (double) (1L << 20));
        }
        if (n >= 1L << 10) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return n + " bytes";
    }

    @Override
    public void close() {
        source.close();
        session.close();
        out.flush();
    }
}

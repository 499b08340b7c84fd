package io.cnnscript.repl;

import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Errors;
import java.io.PrintWriter;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The REPL's interpreter and the one thread that runs it. The interpreter (and so the native
 * engine) is made on that thread as soon as the session starts, while the prompt is already
 * shown; the first statement waits for it. Statements go through the worker thread (the
 * interpreter runs them on its own big-stack thread) while the REPL thread waits, so that Ctrl-C (a signal seen by the REPL thread) can ask the
 * running script to stop.
 */
public final class Session implements AutoCloseable {

    /** Loads the engine and queues statements; scripts themselves run on the interpreter's thread. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "cnn-session");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Interpreter> interpreter = new CompletableFuture<>();
    private volatile Future<?> current;
    /** The state of the current task: QUEUED, then RUNNING, or DROPPED by Ctrl-C before it ran. */
    private final AtomicInteger state = new AtomicInteger();
    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int DROPPED = 2;
    private volatile long readyNanos;
    private final PrintWriter out;
    private final PrintWriter err;
    private boolean loading;

    private final java.util.function.Consumer<Interpreter> setup;
    private final Interpreter.PathPolicy files;

    public Session(PrintWriter out, PrintWriter err) {
        this(out, err, in -> { });
    }

    /** A session whose interpreter is first given to setup (a front end's display, say). */
    public Session(PrintWriter out, PrintWriter err, java.util.function.Consumer<Interpreter> setup) {
        this(out, err, io.cnnscript.interp.FilePolicy.commandLine(java.util.List.of()), setup);
    }

    /** As above, with the files its scripts may use (as {@code cnn --sandbox} sets them). */
    public Session(PrintWriter out, PrintWriter err, Interpreter.PathPolicy files,
            java.util.function.Consumer<Interpreter> setup) {
        this.out = out;
        this.err = err;
        this.files = files;
        this.setup = setup;
    }

    /**
     * Starts making the interpreter on the worker thread (loading the native engine takes a
     * second or more); the REPL calls it once its prompt is up. Later calls do nothing.
     */
    public synchronized void load() {
        if (loading) {
            return;
        }
        loading = true;
        worker.execute(() -> {
            try {
                Interpreter in = new Interpreter(NDManager.newBaseManager(), out, err);
                in.setPathPolicy(files);
                setup.accept(in);
                readyNanos = System.nanoTime();
                interpreter.complete(in);
            } catch (RuntimeException | Error e) {
                interpreter.completeExceptionally(e);
            }
        });
    }

    /**
     * Runs a task with the interpreter on the worker thread and waits for it. Script errors come
     * back as CnnException; an interrupted wait before the task started says "interrupted".
     */
    public <T> T call(Function<Interpreter, T> task) {
        load();
        state.set(QUEUED);
        Future<T> f = worker.submit(() -> {
            Interpreter in = ready();
            if (!state.compareAndSet(QUEUED, RUNNING)) {
                return null;
            }
            return task.apply(in);
        });
        current = f;
        try {
            return f.get();
        } catch (CancellationException e) {
            throw new CnnException("interrupted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CnnException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            current = null;
        }
    }

    /**
     * Runs an input as the REPL does: with echo (each top-level expression's value is shown and
     * kept in {@code _}) unless the code ends with ';'.
     */
    public void eval(String source, String file) {
        call(in -> {
            in.eval(source, file, echoes(source));
            return null;
        });
    }

    /** Whether an input shows its values: not when its code (comments aside) ends with ';'. */
    public static boolean echoes(String source) {
        return !Tokens.code(source).endsWith(";");
    }

    /** The interpreter, waiting for the engine to load; a load failure becomes a clear message. */
    private Interpreter ready() {
        try {
            return interpreter.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CnnException("interrupted");
        } catch (ExecutionException e) {
            throw new CnnException("the tensor engine (PyTorch) could not start: " + Errors.firstLine(e.getCause())
                    + " (run with --debug for the Java trace)", e.getCause());
        }
    }

    /**
     * Ctrl-C: a task that has not started yet is dropped; a running one is asked to stop at its
     * next statement (or between training batches). Safe from any thread.
     */
    public void interrupt() {
        Future<?> f = current;
        if (f == null) {
            return;
        }
        if (state.compareAndSet(QUEUED, DROPPED)) {
            f.cancel(false);
            return;
        }
        Interpreter in = idle();
        if (in != null) {
            in.requestStop();
        }
    }

    /** Whether a task is running or waiting. */
    public boolean busy() {
        return current != null;
    }

    /**
     * The interpreter when it has loaded, else null. Only for reading names and values while no
     * task runs (completion at the prompt): the interpreter is not thread-safe.
     */
    public Interpreter idle() {
        return interpreter.isDone() && !interpreter.isCompletedExceptionally() ? interpreter.join() : null;
    }

    /** When the engine finished loading (System.nanoTime), or 0 while it loads. */
    long readyNanos() {
        return readyNanos;
    }

    @Override
    public void close() {
        Future<?> f = current;
        if (f != null) {
            interrupt();
        }
        worker.execute(() -> {
            Interpreter in = idle();
            if (in != null) {
                in.close();
            }
        });
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

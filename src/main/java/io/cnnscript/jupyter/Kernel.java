package io.cnnscript.jupyter;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.cnnscript.error.CnnException;
import io.cnnscript.error.ErrorPrinter;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.lib.Dtypes;
import io.cnnscript.repl.CodeCompleter;
import io.cnnscript.repl.Help;
import io.cnnscript.repl.LineParser;
import io.cnnscript.repl.Session;
import io.cnnscript.value.Display;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A Jupyter kernel for cnnscript (messaging protocol 5.3 over ZeroMQ). Five sockets are bound
 * where the connection file says; each has one thread that owns it: heartbeat echoes, shell
 * and control answer requests, IOPub publishes what the others queue, in order. Cells run in
 * the REPL's {@link Session} (one interpreter, kept between cells), so values echo exactly as
 * in the REPL; an interrupt (a message on control, or SIGINT) stops the running cell and keeps
 * the session.
 */
public final class Kernel {

    /** How long a socket's thread waits for a message before it looks whether to stop. */
    private static final int POLL_MS = 100;
    /** How many cells' sources are kept to show the line of an error. */
    private static final int KEEP_CELLS = 1000;

    private final Wire wire;
    private final ZContext context;
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket stdin;
    private final ZMQ.Socket iopub;
    private final ZMQ.Socket heartbeat;
    private final Session session;
    private final CodeCompleter completer;
    private final BlockingQueue<List<byte[]>> outbox = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final PrintWriter log;
    private volatile boolean running = true;
    /** Where the running cell's output goes; null between cells. */
    private volatile CellOutput current;
    private int executionCount;
    /** -Dcnn.timing=true logs when the first kernel_info_reply went out (docs/PERFORMANCE.md). */
    private static final boolean TIMING = Boolean.getBoolean("cnn.timing");
    private boolean timed;
    /** The stored inputs by execution count, for history_request (the last KEEP_CELLS). */
    private final Map<Integer, String> inputs = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
            return size() > KEEP_CELLS;
        }
    };
    private final Map<String, String> cells = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > KEEP_CELLS;
        }
    };

    /**
     * Binds the five sockets of a connection file.
     *
     * @throws IllegalArgumentException when the file is malformed
     * @throws ZMQException when a port cannot be bound
     */
    public Kernel(Path connectionFile, PrintWriter log) throws IOException {
        ConnectionFile conn = ConnectionFile.read(connectionFile);
        this.log = log;
        this.wire = new Wire(conn.key());
        this.context = new ZContext(1);
        context.setLinger(0);
        try {
            shell = bind(SocketType.ROUTER, conn.endpoint(conn.shell()));
            control = bind(SocketType.ROUTER, conn.endpoint(conn.control()));
            stdin = bind(SocketType.ROUTER, conn.endpoint(conn.stdin()));
            iopub = bind(SocketType.PUB, conn.endpoint(conn.iopub()));
            heartbeat = bind(SocketType.REP, conn.endpoint(conn.hb()));
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
        PrintWriter out = new PrintWriter(stream("stdout"), false);
        PrintWriter err = new PrintWriter(stream("stderr"), false);
        this.session = new Session(out, err, in -> in.setDisplay(new CurrentDisplay()));
        this.completer = new CodeCompleter(() -> session.busy() ? null : session.idle());
    }

    private ZMQ.Socket bind(SocketType type, String endpoint) {
        ZMQ.Socket s = context.createSocket(type);
        s.setLinger(0);
        s.setReceiveTimeOut(POLL_MS);
        s.bind(endpoint);
        return s;
    }

    /**
     * Serves until a shutdown request, then frees the engine and closes every socket and
     * ZeroMQ thread. Returns the process's exit status.
     */
    public int run() {
        threads.add(thread("cnn-kernel-heartbeat", this::beat));
        threads.add(thread("cnn-kernel-iopub", this::publishLoop));
        threads.add(thread("cnn-kernel-control", () -> serve(control, "control")));
        threads.add(thread("cnn-kernel-shell", () -> serve(shell, "shell")));
        threads.forEach(Thread::start);
        try {
            // The tensor engine loads once the front end has its first kernel_info_reply (or
            // after a second), so that loading it does not slow the kernel's first answer.
            if (!stop.await(1, TimeUnit.SECONDS)) {
                session.load();
                stop.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        return 0;
    }

    /** Asks the kernel to stop (as a shutdown request does); safe from any thread. */
    public void shutdown() {
        running = false;
        session.interrupt();
        stop.countDown();
    }

    /** Stops a running cell, as an interrupt request does; safe from any thread (SIGINT). */
    public void interrupt() {
        session.interrupt();
    }

    private void close() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        session.close();
        context.close();
        log.flush();
    }

    private static Thread thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    // ------------------------------------------------------------------ the sockets' loops

    private void beat() {
        while (running) {
            List<byte[]> frames = receive(heartbeat);
            if (frames != null) {
                send(heartbeat, frames);
            }
        }
    }

    private void publishLoop() {
        while (running || !outbox.isEmpty()) {
            try {
                List<byte[]> frames = outbox.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (frames != null) {
                    send(iopub, frames);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void serve(ZMQ.Socket socket, String channel) {
        while (running) {
            List<byte[]> frames = receive(socket);
            if (frames == null) {
                continue;
            }
            Wire.Message m;
            try {
                m = wire.parse(frames);
            } catch (Wire.BadMessage e) {
                log.println("cnn kernel: dropped a message on " + channel + ": " + e.getMessage());
                log.flush();
                continue;
            }
            status("busy", m);
            try {
                handle(socket, m);
            } catch (RuntimeException | StackOverflowError e) {
                log.println("cnn kernel: could not answer a " + m.type() + ": " + e);
                log.flush();
            } finally {
                status("idle", m);
            }
        }
    }

    /** One whole multipart message, or null when none came in time (or the context closed). */
    private static List<byte[]> receive(ZMQ.Socket s) {
        try {
            byte[] first = s.recv(0);
            if (first == null) {
                return null;
            }
            List<byte[]> frames = new ArrayList<>();
            frames.add(first);
            while (s.hasReceiveMore()) {
                byte[] f = s.recv(0);
                if (f == null) {
                    break;
                }
                frames.add(f);
            }
            return frames;
        } catch (ZMQException e) {
            return null;
        }
    }

    private static void send(ZMQ.Socket s, List<byte[]> frames) {
        try {
            for (int i = 0; i < frames.size(); i++) {
                s.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
        } catch (ZMQException e) {
            // the socket is closing: the kernel is shutting down
        }
    }

    private void reply(ZMQ.Socket socket, Wire.Message request, String type, JsonObject content) {
        send(socket, wire.frames(request.identities(), type, request, content));
    }

    /** Queues an IOPub message; the IOPub thread sends them in the order they were queued. */
    private void publish(Wire.Message parent, String type, JsonObject content) {
        byte[] topic = ("kernel." + type).getBytes(StandardCharsets.UTF_8);
        outbox.add(wire.frames(List.of(topic), type, parent, content));
    }

    private void status(String state, Wire.Message parent) {
        JsonObject c = new JsonObject();
        c.addProperty("execution_state", state);
        publish(parent, "status", c);
    }

    // ------------------------------------------------------------------ requests

    private void handle(ZMQ.Socket socket, Wire.Message m) {
        JsonObject c = m.content();
        switch (m.type()) {
            case "kernel_info_request" -> {
                reply(socket, m, "kernel_info_reply", KernelInfo.reply());
                session.load();
                if (TIMING && !timed) {
                    timed = true;
                    long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                    long cpu = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                            .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
                    log.println("[kernel: first kernel_info_reply " + (System.currentTimeMillis() - jvmStart)
                            + " ms after the JVM started, " + cpu + " ms of processor time]");
                    log.flush();
                }
            }
            case "execute_request" -> execute(socket, m);
            case "complete_request" -> reply(socket, m, "complete_reply",
                    complete(text(c, "code"), integer(c, "cursor_pos", -1)));
            case "inspect_request" -> reply(socket, m, "inspect_reply",
                    inspect(text(c, "code"), integer(c, "cursor_pos", -1)));
            case "is_complete_request" -> {
                JsonObject r = new JsonObject();
                boolean open = LineParser.incomplete(text(c, "code"));
                r.addProperty("status", open ? "incomplete" : "complete");
                if (open) {
                    r.addProperty("indent", "");
                }
                reply(socket, m, "is_complete_reply", r);
            }
            case "history_request" -> reply(socket, m, "history_reply", history(integer(c, "n", -1)));
            case "comm_info_request" -> {
                JsonObject r = ok();
                r.add("comms", new JsonObject());
                reply(socket, m, "comm_info_reply", r);
            }
            case "interrupt_request" -> {
                interrupt();
                reply(socket, m, "interrupt_reply", ok());
            }
            case "shutdown_request" -> {
                JsonObject r = ok();
                r.addProperty("restart", bool(c, "restart", false));
                reply(socket, m, "shutdown_reply", r);
                shutdown();
            }
            default -> {
                log.println("cnn kernel: ignored a " + m.type() + " (not supported)");
                log.flush();
            }
        }
    }

    private void execute(ZMQ.Socket socket, Wire.Message m) {
        JsonObject c = m.content();
        String code = text(c, "code");
        boolean silent = bool(c, "silent", false);
        boolean store = !silent && bool(c, "store_history", true);
        if (store) {
            executionCount++;
        }
        int count = executionCount;
        if (!silent) {
            JsonObject input = new JsonObject();
            input.addProperty("code", code);
            input.addProperty("execution_count", count);
            publish(m, "execute_input", input);
        }
        String file = store ? "<cell " + count + ">" : "<input>";
        cells.put(file, code);
        if (store) {
            inputs.put(count, code);
        }
        CellOutput out = new CellOutput((type, content) -> publish(m, type, content), silent);
        JsonObject reply = new JsonObject();
        current = out;
        try {
            if (!code.isBlank()) {
                session.eval(code, file);
            }
            String result = out.finish();
            if (result != null && !silent) {
                JsonObject r = new JsonObject();
                r.addProperty("execution_count", count);
                JsonObject data = new JsonObject();
                data.addProperty("text/plain", result);
                r.add("data", data);
                r.add("metadata", new JsonObject());
                publish(m, "execute_result", r);
            }
            reply.addProperty("status", "ok");
            reply.add("user_expressions", new JsonObject());
            reply.add("payload", new JsonArray());
        } catch (CnnException e) {
            out.finishWithError();
            StringWriter text = new StringWriter();
            ErrorPrinter.print(new PrintWriter(text), e, e.file() == null ? null : cells.get(e.file()), false);
            error(m, reply, e.getMessage(), text.toString(), silent);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            out.finishWithError();
            String message = "internal error: " + e;
            error(m, reply, message, message + "\n(please report it)", silent);
        } finally {
            current = null;
        }
        reply.addProperty("execution_count", count);
        reply(socket, m, "execute_reply", reply);
    }

    private void error(Wire.Message m, JsonObject reply, String message, String text, boolean silent) {
        JsonArray traceback = new JsonArray();
        for (String line : text.split("\n")) {
            traceback.add(line);
        }
        reply.addProperty("status", "error");
        reply.addProperty("ename", "Error");
        reply.addProperty("evalue", message);
        reply.add("traceback", traceback);
        if (!silent) {
            JsonObject e = new JsonObject();
            e.addProperty("ename", "Error");
            e.addProperty("evalue", message);
            e.add("traceback", traceback.deepCopy());
            publish(m, "error", e);
        }
    }

    /**
     * history_request: this session's stored inputs as (session 0, execution count, code), the
     * last n when n is given (front ends ask for the tail to fill their up-arrow history).
     */
    private JsonObject history(int n) {
        JsonArray items = new JsonArray();
        List<Map.Entry<Integer, String>> entries = new ArrayList<>(inputs.entrySet());
        int from = n >= 0 ? Math.max(0, entries.size() - n) : 0;
        for (Map.Entry<Integer, String> e : entries.subList(from, entries.size())) {
            JsonArray item = new JsonArray();
            item.add(0);
            item.add(e.getKey());
            item.add(e.getValue());
            items.add(item);
        }
        JsonObject r = ok();
        r.add("history", items);
        return r;
    }

    /** complete_request: cursor positions are in Unicode code points, as the protocol counts. */
    private JsonObject complete(String code, int cursorPos) {
        int cursor = charIndex(code, cursorPos);
        CodeCompleter.Completion done = completer.complete(code, cursor);
        JsonObject r = ok();
        JsonArray matches = new JsonArray();
        done.matches().forEach(matches::add);
        r.add("matches", matches);
        r.addProperty("cursor_start", code.codePointCount(0, done.start()));
        r.addProperty("cursor_end", code.codePointCount(0, done.end()));
        r.add("metadata", new JsonObject());
        return r;
    }

    /** inspect_request: a variable's type, shape and value, or a built-in's documentation. */
    private JsonObject inspect(String code, int cursorPos) {
        int cursor = charIndex(code, cursorPos);
        int start = cursor;
        int end = cursor;
        while (start > 0 && LineParser.isNameChar(code.charAt(start - 1))) {
            start--;
        }
        while (end < code.length() && LineParser.isNameChar(code.charAt(end))) {
            end++;
        }
        if (start == end) {
            // Just after "f(" or "f(a, ": the function being called.
            int i = start;
            int depth = 0;
            while (i > 0) {
                char ch = code.charAt(i - 1);
                if (ch == ')' || ch == ']') {
                    depth++;
                } else if ((ch == '(' || ch == '[') && depth > 0) {
                    depth--;
                } else if (ch == '(' && depth == 0) {
                    break;
                }
                i--;
            }
            end = i > 0 ? i - 1 : 0;
            while (end > 0 && code.charAt(end - 1) == ' ') {
                end--;
            }
            start = end;
            while (start > 0 && LineParser.isNameChar(code.charAt(start - 1))) {
                start--;
            }
        }
        String name = code.substring(start, end);
        boolean member = start > 0 && code.charAt(start - 1) == '.';
        String text = null;
        if (!name.isEmpty() && !member) {
            text = describeVariable(name);
        }
        if (text == null && !name.isEmpty()) {
            String help = Help.topic(name, List.of());
            text = help.startsWith("no built-in named") ? null : help;
        }
        JsonObject r = ok();
        r.addProperty("found", text != null);
        JsonObject data = new JsonObject();
        if (text != null) {
            data.addProperty("text/plain", text);
        }
        r.add("data", data);
        r.add("metadata", new JsonObject());
        return r;
    }

    private String describeVariable(String name) {
        Interpreter idle = session.busy() ? null : session.idle();
        if (idle == null || !idle.userVariables().containsKey(name)) {
            return null;
        }
        try {
            return session.call(in -> {
                Object v = in.get(name);
                StringBuilder sb = new StringBuilder(name).append(": ").append(Values.typeName(v));
                if (v instanceof NDArray a) {
                    sb.append(", shape ").append(TensorFormat.shape(a.getShape())).append(", dtype ")
                            .append(Dtypes.name(a.getDataType()));
                }
                String repr = Values.repr(v);
                if (repr.length() > 4000) {
                    repr = repr.substring(0, 4000) + "\n...";
                }
                return sb.append('\n').append(repr).append('\n').toString();
            });
        } catch (CnnException e) {
            return null;
        }
    }

    private static int charIndex(String code, int codePoints) {
        if (codePoints < 0) {
            return code.length();
        }
        int total = code.codePointCount(0, code.length());
        return code.offsetByCodePoints(0, Math.min(codePoints, total));
    }

    private static JsonObject ok() {
        JsonObject r = new JsonObject();
        r.addProperty("status", "ok");
        return r;
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
    }

    private static boolean bool(JsonObject o, String name, boolean otherwise) {
        JsonElement e = o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() ? e.getAsBoolean() : otherwise;
    }

    private static int integer(JsonObject o, String name, int otherwise) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return otherwise;
        }
        try {
            return e.getAsInt();
        } catch (NumberFormatException ex) {
            return otherwise;
        }
    }

    // ------------------------------------------------------------------ the running cell's output

    /** The interpreter's out or err: the running cell's stream (text outside a cell is dropped). */
    private Writer stream(String name) {
        return new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                CellOutput c = current;
                if (c != null) {
                    c.write(name, new String(buf, off, len));
                }
            }

            @Override
            public void flush() {
                CellOutput c = current;
                if (c != null) {
                    c.flushText();
                }
            }

            @Override
            public void close() {
                flush();
            }
        };
    }

    /** The interpreter's display: the running cell's. */
    private final class CurrentDisplay implements Display {
        @Override
        public void result(String text) {
            CellOutput c = current;
            if (c != null) {
                c.result(text);
            }
        }

        @Override
        public void image(byte[] png, String text) {
            CellOutput c = current;
            if (c != null) {
                c.image(png, text);
            }
        }

        @Override
        public void progress(String text, boolean done) {
            CellOutput c = current;
            if (c != null) {
                c.progress(text, done);
            }
        }
    }

    /**
     * Starts a kernel in this JVM, asks it what a front end first asks, and shuts it down: the
     * launcher's class-data warm-up, so that a kernel's start finds its classes ready-made.
     */
    public static void warmUp() throws IOException, InterruptedException {
        Probe.run(new PrintWriter(Writer.nullWriter()));
    }

    /** {@code cnn --kernel CONNECTION_FILE}: runs a kernel until it is shut down. */
    public static int main(Path connectionFile) {
        PrintWriter log = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        if (!Files.isRegularFile(connectionFile)) {
            log.println("cnn --kernel: " + connectionFile + ": no such connection file");
            return 2;
        }
        Kernel kernel;
        try {
            kernel = new Kernel(connectionFile, log);
        } catch (IOException | IllegalArgumentException | ZMQException e) {
            log.println("cnn --kernel: cannot start: " + e.getMessage());
            return 1;
        }
        Signals.onInterrupt(kernel::interrupt);
        return kernel.run();
    }
}

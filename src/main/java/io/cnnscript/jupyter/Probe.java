package io.cnnscript.jupyter;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A kernel in this JVM and a minimal front end for it: starts one on free loopback ports, asks
 * for kernel_info and a completion, and shuts it down. The launcher's class-data warm-up runs
 * it (so that a kernel's start maps its classes ready-made), and a test checks that nothing is
 * left running afterwards.
 */
final class Probe {

    private Probe() {}

    /** What the probe saw: the kernel_info reply, the completion reply and the shutdown reply. */
    record Seen(JsonObject info, JsonObject completion, JsonObject shutdown) {}

    static Seen run(PrintWriter log) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("cnn-kernel-probe");
        Path file = dir.resolve("connection.json");
        String key = UUID.randomUUID().toString();
        int[] ports = freePorts(5);
        JsonObject conn = new JsonObject();
        conn.addProperty("transport", "tcp");
        conn.addProperty("ip", "127.0.0.1");
        conn.addProperty("shell_port", ports[0]);
        conn.addProperty("iopub_port", ports[1]);
        conn.addProperty("stdin_port", ports[2]);
        conn.addProperty("control_port", ports[3]);
        conn.addProperty("hb_port", ports[4]);
        conn.addProperty("key", key);
        conn.addProperty("signature_scheme", "hmac-sha256");
        Files.writeString(file, conn.toString(), StandardCharsets.UTF_8);
        try {
            Kernel kernel = new Kernel(file, log);
            Thread runner = new Thread(kernel::run, "cnn-kernel-probe");
            runner.start();
            Wire wire = new Wire(key);
            try (ZContext ctx = new ZContext(1)) {
                ZMQ.Socket shell = connect(ctx, ports[0]);
                ZMQ.Socket control = connect(ctx, ports[3]);
                JsonObject info = ask(wire, shell, "kernel_info_request", new JsonObject());
                JsonObject complete = new JsonObject();
                complete.addProperty("code", "X = zer");
                complete.addProperty("cursor_pos", 7);
                JsonObject completion = ask(wire, shell, "complete_request", complete);
                JsonObject restart = new JsonObject();
                restart.addProperty("restart", false);
                JsonObject shutdown = ask(wire, control, "shutdown_request", restart);
                runner.join(60_000);
                return new Seen(info, completion, shutdown);
            } finally {
                kernel.shutdown();
                runner.join(60_000);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static ZMQ.Socket connect(ZContext ctx, int port) {
        ZMQ.Socket s = ctx.createSocket(SocketType.DEALER);
        s.setLinger(0);
        s.setReceiveTimeOut(60_000);
        s.connect("tcp://127.0.0.1:" + port);
        return s;
    }

    private static JsonObject ask(Wire wire, ZMQ.Socket socket, String type, JsonObject content) throws IOException {
        List<byte[]> frames = wire.frames(List.of(), type, null, content);
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
        List<byte[]> reply = new ArrayList<>();
        byte[] first = socket.recv(0);
        if (first == null) {
            throw new IOException("no reply to " + type);
        }
        reply.add(first);
        while (socket.hasReceiveMore()) {
            reply.add(socket.recv(0));
        }
        try {
            return wire.parse(reply).content();
        } catch (Wire.BadMessage e) {
            throw new IOException("bad reply to " + type + ": " + e.getMessage());
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }
}

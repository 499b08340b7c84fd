package io.cnnscript.jupyter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a Jupyter front end writes for a kernel to start with: where to bind the five sockets
 * and the key that signs every message.
 *
 * @param transport "tcp" or "ipc"
 * @param ip the address to bind (127.0.0.1 unless the file says otherwise)
 * @param key the HMAC key; empty means messages are not signed
 * @param scheme the signature scheme, "hmac-sha256"
 */
record ConnectionFile(String transport, String ip, int shell, int iopub, int stdin, int control, int hb,
        String key, String scheme) {

    /** Reads and checks a connection file; IllegalArgumentException says what is wrong with it. */
    static ConnectionFile read(Path file) throws IOException {
        JsonElement json;
        try {
            json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (com.google.gson.JsonParseException e) {
            throw new IllegalArgumentException(file + ": not JSON (" + e.getMessage() + ")");
        }
        if (!json.isJsonObject()) {
            throw new IllegalArgumentException(file + ": not a JSON object");
        }
        JsonObject o = json.getAsJsonObject();
        String scheme = text(o, "signature_scheme", "hmac-sha256");
        if (!scheme.equals("hmac-sha256")) {
            throw new IllegalArgumentException(file + ": signature_scheme " + scheme + " is not supported (hmac-sha256 is)");
        }
        return new ConnectionFile(text(o, "transport", "tcp"), text(o, "ip", "127.0.0.1"),
                port(o, "shell_port", file), port(o, "iopub_port", file), port(o, "stdin_port", file),
                port(o, "control_port", file), port(o, "hb_port", file), text(o, "key", ""), scheme);
    }

    private static String text(JsonObject o, String name, String otherwise) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? otherwise : e.getAsString();
    }

    private static int port(JsonObject o, String name, Path file) {
        JsonElement e = o.get(name);
        try {
            int port = e == null ? -1 : e.getAsInt();
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(file + ": " + name + " is missing or not a port");
            }
            return port;
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException ex) {
            throw new IllegalArgumentException(file + ": " + name + " is not a port");
        }
    }

    /** The ZeroMQ endpoint of a port: tcp://ip:port, or ipc://ip-port as Jupyter names ipc files. */
    String endpoint(int port) {
        return transport.equals("ipc") ? "ipc://" + ip + "-" + port : transport + "://" + ip + ":" + port;
    }
}

package io.cnnscript.jupyter;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Jupyter wire format (messaging protocol 5.3): a message travels as ZeroMQ frames
 * {@code [identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content,
 * buffers...]}, the signature being the hex HMAC-SHA256 of the four JSON frames under the
 * connection key.
 */
final class Wire {

    static final String PROTOCOL_VERSION = "5.3";
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    /** A message that is not well formed or not signed with the key; it is dropped. */
    static final class BadMessage extends Exception {
        BadMessage(String why) {
            super(why, null, false, false);
        }
    }

    /** A received message: who sent it (the ROUTER identities) and its four JSON parts. */
    record Message(List<byte[]> identities, JsonObject header, JsonObject parent, JsonObject metadata,
            JsonObject content) {
        String type() {
            return header.get("msg_type").getAsString();
        }
    }

    private final byte[] key;
    private final String session = UUID.randomUUID().toString();

    Wire(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** The signature of the four JSON frames; empty when the key is empty (signing is off). */
    byte[] sign(byte[] header, byte[] parent, byte[] metadata, byte[] content) {
        if (key.length == 0) {
            return new byte[0];
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(header);
            mac.update(parent);
            mac.update(metadata);
            mac.update(content);
            return HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getMessage(), e);
        }
    }

    /** Splits, checks the signature of, and parses a message's frames. */
    Message parse(List<byte[]> frames) throws BadMessage {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (java.util.Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) {
            throw new BadMessage("no <IDS|MSG> delimiter");
        }
        if (frames.size() < delimiter + 6) {
            throw new BadMessage("fewer than the five frames after the delimiter");
        }
        byte[] signature = frames.get(delimiter + 1);
        byte[] header = frames.get(delimiter + 2);
        byte[] parent = frames.get(delimiter + 3);
        byte[] metadata = frames.get(delimiter + 4);
        byte[] content = frames.get(delimiter + 5);
        if (key.length > 0 && !MessageDigest.isEqual(sign(header, parent, metadata, content),
                new String(signature, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT)
                        .getBytes(StandardCharsets.US_ASCII))) {
            throw new BadMessage("bad signature");
        }
        JsonObject h = object(header, "header");
        JsonElement type = h.get("msg_type");
        if (type == null || !type.isJsonPrimitive()) {
            throw new BadMessage("the header has no msg_type");
        }
        return new Message(List.copyOf(frames.subList(0, delimiter)), h, object(parent, "parent_header"),
                object(metadata, "metadata"), object(content, "content"));
    }

    private static JsonObject object(byte[] frame, String what) throws BadMessage {
        try {
            JsonElement e = JsonParser.parseString(new String(frame, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new BadMessage(what + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (com.google.gson.JsonParseException | StackOverflowError e) {
            throw new BadMessage(what + " is not JSON");
        }
    }

    /** A new header of this kernel's session. */
    JsonObject header(String type) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", UUID.randomUUID().toString());
        h.addProperty("session", session);
        h.addProperty("username", "kernel");
        h.addProperty("date", DATE.format(OffsetDateTime.now(ZoneOffset.UTC)));
        h.addProperty("msg_type", type);
        h.addProperty("version", PROTOCOL_VERSION);
        return h;
    }

    /** The frames of a new message of this kernel, in reply to parent (null for none). */
    List<byte[]> frames(List<byte[]> identities, String type, Message parent, JsonObject content) {
        byte[] header = bytes(header(type));
        byte[] parentHeader = bytes(parent == null ? new JsonObject() : parent.header());
        byte[] metadata = bytes(new JsonObject());
        byte[] body = bytes(content);
        List<byte[]> frames = new ArrayList<>(identities.size() + 6);
        frames.addAll(identities);
        frames.add(DELIMITER);
        frames.add(sign(header, parentHeader, metadata, body));
        frames.add(header);
        frames.add(parentHeader);
        frames.add(metadata);
        frames.add(body);
        return frames;
    }

    private static byte[] bytes(JsonObject o) {
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}

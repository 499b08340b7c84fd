package io.cnnscript.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signing and parsing of wire messages. */
class WireTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signsAsJupyterDoes() {
        // hmac.new(b"key", b'{"a":1}{}{}{}', hashlib.sha256).hexdigest()
        assertEquals("f1128388193e4dd1aa760827bd756a1b40b627676b5efe22c0e8297919bfa218",
                new String(new Wire("key").sign(b("{\"a\":1}"), b("{}"), b("{}"), b("{}")), StandardCharsets.US_ASCII));
        assertEquals(0, new Wire("").sign(b("{}"), b("{}"), b("{}"), b("{}")).length, "an empty key signs nothing");
    }

    @Test
    void aMessageRoundTripsAndABadSignatureOrBadJsonIsRefused() throws Exception {
        Wire wire = new Wire("secret");
        JsonObject content = new JsonObject();
        content.addProperty("code", "1 + 1");
        List<byte[]> frames = wire.frames(List.of(b("id")), "execute_request", null, content);
        Wire.Message m = wire.parse(frames);
        assertEquals("execute_request", m.type());
        assertEquals("1 + 1", m.content().get("code").getAsString());
        assertEquals("id", new String(m.identities().get(0), StandardCharsets.UTF_8));

        Wire.BadMessage bad = assertThrows(Wire.BadMessage.class,
                () -> new Wire("other").parse(frames));
        assertEquals("bad signature", bad.getMessage());

        List<byte[]> broken = new ArrayList<>(frames);
        broken.set(6, b("{not json"));
        broken.set(2, new Wire("secret").sign(broken.get(3), broken.get(4), broken.get(5), broken.get(6)));
        assertEquals("content is not JSON", assertThrows(Wire.BadMessage.class, () -> wire.parse(broken)).getMessage());
        assertEquals("fewer than the five frames after the delimiter",
                assertThrows(Wire.BadMessage.class, () -> wire.parse(frames.subList(0, 4))).getMessage());
    }
}

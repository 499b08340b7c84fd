package io.cnnscript.jupyter;

import com.google.gson.JsonObject;
import io.cnnscript.value.Display;
import java.io.Writer;
import java.util.Base64;
import java.util.UUID;

/**
 * The output of one cell, in the order the script made it: print's text as {@code stream}
 * messages, pictures as {@code display_data}, train's progress as one display that updates in
 * place, and the value of the cell's last expression as its {@code execute_result}. An echoed
 * value that more output follows is shown as text where it was made, as the REPL shows it.
 * Everything runs on the interpreter's thread; the kernel reads the result once the cell ended.
 */
final class CellOutput implements Display {

    /** Publishes one IOPub message in reply to this cell's request. */
    interface Publisher {
        void publish(String type, JsonObject content);
    }

    /** Buffered text is sent at the latest this long after it was written. */
    private static final long FLUSH_NANOS = 50_000_000L;

    private final Publisher iopub;
    private final boolean silent;
    private final StringBuilder text = new StringBuilder();
    private String stream = "stdout";
    private long firstWrite;
    private String pendingResult;
    private String progressId;

    CellOutput(Publisher iopub, boolean silent) {
        this.iopub = iopub;
        this.silent = silent;
    }

    /** A writer of one stream ("stdout" or "stderr") of this cell. */
    Writer writer(String name) {
        return new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
                CellOutput.this.write(name, new String(buf, off, len));
            }

            @Override
            public void flush() {
                CellOutput.this.flushText();
            }

            @Override
            public void close() {
                flush();
            }
        };
    }

    synchronized void write(String name, String s) {
        if (s.isEmpty()) {
            return;
        }
        settleResult();
        if (!name.equals(stream)) {
            flushText();
            stream = name;
        }
        if (text.length() == 0) {
            firstWrite = System.nanoTime();
        }
        text.append(s);
        if (System.nanoTime() - firstWrite > FLUSH_NANOS) {
            flushText();
        }
    }

    /** Sends the buffered text of the current stream. */
    synchronized void flushText() {
        if (text.length() == 0) {
            return;
        }
        if (!silent) {
            JsonObject c = new JsonObject();
            c.addProperty("name", stream);
            c.addProperty("text", text.toString());
            iopub.publish("stream", c);
        }
        text.setLength(0);
    }

    /** An earlier echoed value that more output follows becomes text, in its place. */
    private void settleResult() {
        if (pendingResult != null) {
            String r = pendingResult;
            pendingResult = null;
            write("stdout", r + "\n");
        }
    }

    @Override
    public synchronized void result(String repr) {
        settleResult();
        flushText();
        pendingResult = repr;
    }

    @Override
    public synchronized void image(byte[] png, String alt) {
        settleResult();
        flushText();
        if (silent) {
            return;
        }
        JsonObject data = new JsonObject();
        data.addProperty("image/png", Base64.getEncoder().encodeToString(png));
        data.addProperty("text/plain", alt);
        JsonObject c = new JsonObject();
        c.add("data", data);
        c.add("metadata", new JsonObject());
        c.add("transient", new JsonObject());
        iopub.publish("display_data", c);
    }

    @Override
    public synchronized void progress(String line, boolean done) {
        if (silent) {
            return;
        }
        boolean first = progressId == null;
        if (first) {
            settleResult();
            flushText();
            progressId = UUID.randomUUID().toString();
        }
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", line);
        JsonObject trans = new JsonObject();
        trans.addProperty("display_id", progressId);
        JsonObject c = new JsonObject();
        c.add("data", data);
        c.add("metadata", new JsonObject());
        c.add("transient", trans);
        iopub.publish(first ? "display_data" : "update_display_data", c);
        if (done) {
            progressId = null;
        }
    }

    /** The cell ended: sends the remaining text and gives the value to show as its result, or null. */
    synchronized String finish() {
        flushText();
        String r = pendingResult;
        pendingResult = null;
        return r;
    }

    /** The cell failed: an echoed value is shown as text before the error. */
    synchronized void finishWithError() {
        settleResult();
        flushText();
    }
}

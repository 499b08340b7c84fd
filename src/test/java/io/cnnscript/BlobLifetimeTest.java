package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tensor made from Java data must own its memory: DJL's create() wraps a direct ByteBuffer
 * (torch::from_blob) that only the first NDArray object keeps alive, so a view of it (reshape)
 * that outlives that object read memory the garbage collector had freed.
 */
class BlobLifetimeTest {

    @Test
    void aViewOfACreatedTensorOutlivesTheTensor() throws Exception {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(new StringWriter()))) {
            io.cnnscript.TestFiles.confine(in);
            in.eval("X = arange(18.0).reshape(2, 3, 3); Y = tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, 2)", "m.cnn", false);
            for (int round = 0; round < 5; round++) {
                System.gc();
                Thread.sleep(50);
                List<ByteBuffer> churn = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    ByteBuffer b = ByteBuffer.allocateDirect(72);
                    for (int j = 0; j < 72; j++) {
                        b.put(j, (byte) 0x7f);
                    }
                    churn.add(b);
                }
                churn.clear();
            }
            in.eval("print(X.flatten().tolist()); print(Y.flatten().tolist())", "m.cnn", false);
        }
        assertEquals("[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0]\n"
                + "[1.0, 2.0, 3.0, 4.0]\n", out.toString());
    }
}

package io.cnnscript.nn;

import ai.djl.ndarray.NDManager;
import io.cnnscript.TestFiles;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs script text in a fresh interpreter and gives back what it printed. */
final class Scripts {

    private Scripts() {}

    static String run(String src) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(err, true))) {
            TestFiles.confine(in);
            in.eval(src, "t.cnn", false);
        }
        return out.toString();
    }

    /** Runs src, which must fail; returns the error. */
    static CnnException fail(String src) {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true))) {
            TestFiles.confine(in);
            in.eval(src, "t.cnn", false);
        } catch (CnnException e) {
            return e;
        }
        throw new AssertionError("expected an error, the script printed:\n" + out);
    }

    static final String LENET = """
            net = Conv(1, 6, 5) >> Sigmoid >> MaxPool(2, 2)
                >> Conv(6, 16, 5) >> Sigmoid >> MaxPool(2, 2)
                >> Flatten >> Linear(256, 120) >> Sigmoid >> Linear(120, 84) >> Sigmoid >> Linear(84, 10)
            """;
}

package io.cnnscript.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * tensor(data, dtype, requires_grad) as torch.tensor: PyTorch's warning when the data is a
 * tensor, and its errors placed at the call. The values it makes are compared with PyTorch's by
 * PythonSemanticsTest.
 */
class TensorCallTest {

    private static final String COPY_WARNING = "UserWarning: To copy construct from a tensor, it is recommended to use "
            + "sourceTensor.clone().detach() or sourceTensor.clone().detach().requires_grad_(True), rather than "
            + "torch.tensor(sourceTensor).";

    /** stdout, then stderr after a line "--- err", then the error's text if one stopped the script. */
    private static String run(String source) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String stopped = "";
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(err, true))) {
            in.eval(source, "t.cnn", false);
        } catch (CnnException e) {
            stopped = "--- error\n" + e.getMessage() + "\n";
        }
        return out + "--- err\n" + err + stopped;
    }

    /** A tensor as data is copied outside the graph, with PyTorch's warning once per line (Python's default filter). */
    @Test
    void aTensorAsDataIsCopiedWithPyTorchsWarning() {
        String out = run("""
                p = param(tensor[1.0, 2.0])
                for i in range(2) {
                    c = tensor(p * 2)
                }
                d = tensor(p, dtype="float64")
                c[0] = 9
                print(c, c.requires_grad, d, p)
                """);
        assertEquals("""
                tensor([9., 4.]) false tensor([1., 2.], dtype=torch.float64) tensor([1., 2.], requires_grad=True)
                --- err
                t.cnn:3:9: %1$s
                        c = tensor(p * 2)
                            ^
                t.cnn:5:5: %1$s
                    d = tensor(p, dtype="float64")
                        ^
                """.formatted(COPY_WARNING), out);
    }

    @Test
    void pyTorchsErrorsAtTheCall() {
        assertEquals("--- err\n--- error\nt.cnn:2:7: expected sequence of length 2 at dim 1 (got 3)\n",
                run("x = 1\nprint(tensor([[1, 2], [3, 4, 5]]))"));
        assertEquals("--- err\n--- error\nt.cnn:1:5: Only Tensors of floating point and complex dtype can require "
                + "gradients (this one is int64)\n", run("w = tensor([1, 2], requires_grad=true)"));
        assertEquals("--- err\n--- error\nt.cnn:1:1: unknown dtype 'flot'; use float32, float64, int64, int32, int8, "
                + "uint8 or bool\n", run("tensor([1], dtype=\"flot\")"));
        assertEquals("--- err\n--- error\nt.cnn:1:1: value cannot be converted to type int8 without overflow\n",
                run("tensor([1, 300], dtype=\"int8\")"));
        assertEquals("--- err\n--- error\nt.cnn:1:1: Overflow when unpacking long: 9223372036854775808 is outside "
                + "int64, the range of a tensor's ints\n", run("tensor([[1], [2 ** 63]])"));
        assertEquals("--- err\n--- error\nt.cnn:1:1: tensor(): invalid data type 'string'\n", run("tensor(\"abc\")"));
        assertEquals("--- err\n--- error\nt.cnn:1:1: Could not infer dtype of none\n", run("tensor([1, none])"));
        assertEquals("--- err\n--- error\nt.cnn:1:1: not a sequence: found int at dim 1 where a sequence of length 2 "
                + "was expected\n", run("tensor([[1, 2], 3])"));
    }

    /** The literal keeps its own rules: a list of tensors stacks, where tensor() takes one-element tensors only. */
    @Test
    void theLiteralIsUnchanged() {
        assertEquals("tensor([[1, 2],\n        [3, 4]])\n--- err\n", run("print(tensor[tensor[1, 2], tensor[3, 4]])"));
        assertEquals("--- err\n--- error\nt.cnn:1:7: only integer tensors of a single element can be converted to an "
                + "index\n", run("print(tensor([tensor[1, 2], tensor[3, 4]]))"));
    }
}

package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * The losses' options and PyTorch's warning. DifferentialTest compares the values, gradients,
 * errors and warnings with PyTorch's on random cases; these are the cases spelled out.
 */
class LossesTest {

    private static final String SIZE_WARNING = "UserWarning: Using a target size (torch.Size([3])) that is different "
            + "to the input size (torch.Size([3, 1])). This will likely lead to incorrect results due to broadcasting. "
            + "Please ensure they have the same size.";

    /** stdout, then stderr after a line "--- err". */
    private static String run(String source) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(err, true))) {
            in.eval(source, "t.cnn", false);
        }
        return out + "--- err\n" + err;
    }

    /**
     * MSE and L1 of shapes that differ warn as PyTorch does, at the call, with its line, once per
     * line and text (Python's default filter): a loop warns once, another line or size again.
     */
    @Test
    void differentShapesWarnOncePerLineAsPython() {
        String out = run("""
                x = tensor[[1.0], [2.0], [4.0]]
                y = tensor[1.0, 2.0, 3.0]
                for i in range(3) {
                    print(MSE(x, y))
                }
                l = L1(input=x, target=y); m = L1(x, y)
                print(l, m, MSE(x, x))
                print(MSE(x, tensor[1.0, 2.0]))
                fn f(a, b) { return MSE(a, b) }
                print(f(x, y), f(x, y))
                """);
        assertEquals("""
                tensor(2.3333)
                tensor(2.3333)
                tensor(2.3333)
                tensor(1.2222) tensor(1.2222) tensor(0.)
                tensor(2.5000)
                tensor(2.3333) tensor(2.3333)
                --- err
                t.cnn:4:11: %1$s
                        print(MSE(x, y))
                              ^
                t.cnn:6:5: %1$s
                    l = L1(input=x, target=y); m = L1(x, y)
                        ^
                t.cnn:8:7: %2$s
                    print(MSE(x, tensor[1.0, 2.0]))
                          ^
                t.cnn:9:21: %1$s
                    fn f(a, b) { return MSE(a, b) }
                                        ^
                """.formatted(SIZE_WARNING, SIZE_WARNING.replace("Size([3]))", "Size([2]))")), out);
    }

    /** PyTorch's keywords, options, reductions, and a loss made with options, as nn.CrossEntropyLoss(...). */
    @Test
    void optionsAndReductionsAsPyTorch() {
        String out = run("""
                Z = param(tensor[[1.0, 2.0, 0.5], [0.1, -1.0, 2.0]])
                print(CrossEntropy(Z, tensor[2, -100], reduction="none"))
                print(CrossEntropy(input=Z, target=tensor[2, 0], reduction="sum"))
                loss = CrossEntropy(label_smoothing=0.2, weight=tensor[1.0, 2.0, 3.0])
                print(loss, type(loss), loss() == loss, CrossEntropy() == CrossEntropy)
                l = loss(Z, tensor[0, 2])
                backward(l)
                print(l, Z.grad)
                print(CrossEntropy(Z, tensor[[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]], label_smoothing=0.1))
                print(CrossEntropy(tensor[1.0, 2.0, 3.0], tensor[1][0]), CrossEntropy(zeros(0, 3), zeros(0).long()))
                print(CrossEntropy(tensor[[[1.0, 2.0], [0.0, 1.0]]], tensor[[1, 0]], ignore_index=0))
                print(MSE(tensor[1.0, 2.0], tensor[2.0, 4.0], reduction="none"), L1(reduction="sum"), L1(arange(3), tensor[1, 1, 1], reduction="sum"))
                """);
        // PyTorch 1.13 prints the same values (with grad_fn=...).
        assertEquals("""
                tensor([1.9644, 0.0000])
                tensor(4.0462)
                CrossEntropyLoss() loss true true
                tensor(0.6899) tensor([[-0.1473,  0.1552, -0.0079],
                        [ 0.0706, -0.0043, -0.0664]])
                tensor(1.7289)
                tensor(1.4076) tensor(nan)
                tensor(1.3133)
                tensor([1., 4.]) L1Loss() tensor(2)
                --- err
                """, out);
    }

    /** train() needs one number per batch: reduction="none" is refused, as PyTorch's backward refuses it. */
    @Test
    void trainRefusesALossPerExample() {
        assertEquals("train(): the loss must give one number per batch, but CrossEntropy(reduction=\"none\") gives "
                + "one per example", Scripts.fail("t, s = fashion_mnist(sample=true)\n"
                        + "train(Flatten >> Linear(784, 10), t, s, epochs=1, loss=CrossEntropy(reduction=\"none\"))").detail());
    }
}

package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** train() without a test set leaves the test accuracy out of its lines (it used to print NaN). */
class TrainWithoutTestSetTest {

    @Test
    void epochLinesHaveNoTestAccuracy() {
        String out = Scripts.run("""
                seed(0)
                data = [(rand(8, 3), tensor[0, 1, 0, 1, 1, 0, 1, 0]) for i in range(3)]
                train(Linear(3, 2), data, epochs=2, optimizer=SGD(0.1))
                """);
        assertTrue(out.matches("training on cpu\\n"
                + "epoch 1, loss \\d\\.\\d{4}, train acc \\d\\.\\d{3}, time \\d+\\.\\d sec\\n"
                + "epoch 2, loss \\d\\.\\d{4}, train acc \\d\\.\\d{3}, time \\d+\\.\\d sec\\n"), out);
    }
}

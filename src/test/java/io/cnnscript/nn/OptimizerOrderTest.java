package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Optimizers take their parameters first, as PyTorch orders them, as well as by params=. */
class OptimizerOrderTest {

    /** One SGD or Adam step on a seeded network, the optimizer made as {@code make} says; prints the weights. */
    private static String stepWith(String make) {
        return Scripts.run("""
                seed(3)
                net = Linear(3, 2)
                X = rand(4, 3)
                print(net.weight)
                opt = %s
                l = (net(X) ** 2).sum()
                backward(l)
                step(opt)
                print(opt)
                print(net.weight)
                """.formatted(make));
    }

    @Test
    void sgdTakesParamsThenLr() {
        String cnnOrder = stepWith("SGD(0.1, momentum=0.5, params=net)");
        assertEquals(cnnOrder, stepWith("SGD(net.parameters(), 0.1, momentum=0.5)"));
        assertEquals(cnnOrder, stepWith("SGD(net.parameters(), lr=0.1, momentum=0.5)"));
        assertEquals(cnnOrder, stepWith("SGD(net, 0.1, 0.5)"));
        assertEquals(cnnOrder, stepWith("SGD(0.1, net.parameters(), momentum=0.5)"));
        String[] lines = cnnOrder.split("\n");
        assertEquals("SGD(lr=0.1, momentum=0.5, weight_decay=0.0)", lines[2]);
        assertNotEquals(lines[0] + lines[1], lines[3] + lines[4], "the step changed the weights");
    }

    @Test
    void adamTakesParamsThenKeywords() {
        String cnnOrder = stepWith("Adam(lr=0.01, params=net)");
        assertEquals(cnnOrder, stepWith("Adam(net.parameters(), lr=0.01)"));
        assertEquals(cnnOrder, stepWith("Adam([p for name, p in net.named_parameters()], 0.01)"));
        assertEquals("Adam(lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.0)", cnnOrder.split("\n")[2]);
    }

    @Test
    void paramsTwiceOrNoRateAreErrors() {
        assertEquals("t.cnn:2:1: Adam() got two values for 'params'",
                Scripts.fail("net = Linear(2, 1)\nAdam(net.parameters(), params=net)").getMessage());
        assertEquals("t.cnn:2:1: SGD() is missing its argument 'lr'; it takes SGD(lr, momentum=0, weight_decay=0, "
                + "params=none)", Scripts.fail("net = Linear(2, 1)\nSGD(net.parameters())").getMessage());
    }
}

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
        assertEquals("t.cnn:2:1: SGD() is missing its argument 'lr'; it takes SGD(lr, momentum=0, dampening=0, "
                + "weight_decay=0, nesterov=false, maximize=false, params=none)",
                Scripts.fail("net = Linear(2, 1)\nSGD(net.parameters())").getMessage());
    }

    /** What torch.optim refuses (ValueError with these words); lr=0 it takes, and so does cnnscript. */
    @Test
    void settingsPyTorchRefusesAreErrors() {
        String[][] cases = {
            {"SGD(-0.1, params=net)", "Invalid learning rate: -0.1"},
            {"SGD(0.1, momentum=-1, params=net)", "Invalid momentum value: -1"},
            {"SGD(0.1, weight_decay=-0.5, params=net)", "Invalid weight_decay value: -0.5"},
            {"SGD(0.1, nesterov=true, params=net)", "Nesterov momentum requires a momentum and zero dampening"},
            {"SGD(0.1, momentum=0.9, dampening=0.1, nesterov=true, params=net)",
                "Nesterov momentum requires a momentum and zero dampening"},
            {"Adam(lr=-1, params=net)", "Invalid learning rate: -1"},
            {"Adam(eps=-1e-8, params=net)", "Invalid epsilon value: -1e-08"},
            {"Adam(betas=(1.0, 0.999), params=net)", "Invalid beta parameter at index 0: 1.0"},
            {"Adam(beta2=-0.5, params=net)", "Invalid beta parameter at index 1: -0.5"},
            {"Adam(weight_decay=-1, params=net)", "Invalid weight_decay value: -1"},
            {"Adam(betas=(0.9,), params=net)", "Adam() betas must be a pair (beta1, beta2), got 1 values"},
        };
        for (String[] c : cases) {
            assertEquals("t.cnn:2:1: " + c[1], Scripts.fail("net = Linear(2, 1)\n" + c[0]).getMessage(), c[0]);
        }
        // lr=0 leaves the weights as they were, as in PyTorch
        String out = stepWith("SGD(0, momentum=0.9, params=net)");
        String[] lines = out.split("\n");
        assertEquals(lines[0] + lines[1], lines[3] + lines[4]);
        assertEquals("SGD(lr=0.0, momentum=0.9, weight_decay=0.0)", lines[2]);
        assertEquals(stepWith("Adam(lr=0.01, betas=(0.5, 0.9), params=net)"), stepWith("Adam(net, 0.01, (0.5, 0.9))"));
    }
}

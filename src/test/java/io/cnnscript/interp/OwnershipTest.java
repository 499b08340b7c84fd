package io.cnnscript.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * Who owns a tensor: a value that something else holds (a layer's parameter, a variable's
 * tensor, a list's item) stays alive when a call hands it back unchanged and the statement that
 * made the call ends. Each script runs its statements one by one, with a sweep after each.
 */
class OwnershipTest {

    private static String run(String... statements) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out), new PrintWriter(err))) {
            io.cnnscript.TestFiles.confine(in);
            for (String s : statements) {
                in.eval(s, "own.cnn", false);
                in.sweep();
            }
        }
        return out.toString() + err;
    }

    private static final String PARAM_LAYER = """
            layer W() {
                lin = Linear(2, 2)
                fn forward(x) { return lin.weight }
            }
            """;

    @Test
    void aScriptLayerReturningAParameterInsideASequentialLeavesItAliveAndTrainable() {
        String out = run(PARAM_LAYER, "seed(0); net = W(); s = Sequential(net); X = ones(1, 2)",
                "print(s(X).shape)",
                "w0 = net.lin.weight.clone(); C = tensor[[1.0, 2.0], [3.0, 4.0]]",
                "opt = SGD(lr=0.1, params=s); l = (s(X) * C).sum(); zero_grad(s); backward(l); step(opt)",
                "print((net.lin.weight - (w0 - 0.1 * C)).abs().max().item() < 1e-6)",
                "print(net.lin.weight.grad.tolist())");
        assertEquals("(2, 2)\ntrue\n[[1.0, 2.0], [3.0, 4.0]]\n", out);
    }

    @Test
    void aScriptLayerReturningAParameterCalledDirectly() {
        String out = run(PARAM_LAYER, "seed(0); net = W(); w0 = net.lin.weight.clone()",
                "print(net(ones(1, 2)).shape)", "net(ones(1, 2))",
                "print((net.lin.weight - w0).abs().sum().item() == 0)");
        assertEquals("(2, 2)\ntrue\n", out);
    }

    @Test
    void aNetworkThatReturnsItsInputUnchanged() {
        String out = run("seed(0); lin = Linear(2, 2); w0 = lin.weight.clone()",
                "print(Sequential()(lin.weight).shape)",
                "d = Dropout(0.5); d.eval(); print(d(lin.weight).shape)",
                "layer Id() { fn forward(x) { return x } }",
                "print(Sequential(Id(), Id())(lin.bias).shape)",
                "print((lin.weight - w0).abs().sum().item() == 0, lin.bias.shape)");
        assertEquals("(2, 2)\n(2, 2)\n(2,)\ntrue (2,)\n", out);
    }

    @Test
    void functionsReturningAParameter() {
        String out = run("seed(0); net = Sequential(Linear(2, 2)); w0 = net[0].weight.clone()",
                "fn first() { return net[0].weight }", "print(first().shape)",
                "fn firstParam() { for name, p in net.named_parameters() { return p } }", "print(firstParam().shape)",
                "print((net[0].weight - w0).abs().sum().item() == 0)",
                "l = (net(ones(1, 2))).sum(); backward(l); print(net[0].weight.grad.tolist())");
        assertEquals("(2, 2)\n(2, 2)\ntrue\n[[1.0, 1.0], [1.0, 1.0]]\n", out);
    }

    @Test
    void aListOrAVariableHoldingAParameterLetsItGo() {
        String out = run("seed(0); lin = Linear(2, 2); w0 = lin.weight.clone()",
                "xs = [lin.weight, lin.bias]; v = lin.weight", "print(xs[0].shape, v.shape)",
                "xs = none; v = none", "print((lin.weight - w0).abs().sum().item() == 0, lin(ones(1, 2)).shape)");
        assertEquals("(2, 2) (2, 2)\ntrue (1, 2)\n", out);
    }

    @Test
    void returningAnInputUnchanged() {
        String out = run("x = ones(3); p = param(zeros(2))",
                "fn same(t) { return t }", "print(same(x).shape, same(p).shape)",
                "print(x.float().shape, p.float().shape)",
                "print(x.tolist(), p.tolist())");
        assertEquals("(3,) (2,)\n(3,) (2,)\n[1.0, 1.0, 1.0] [0.0, 0.0]\n", out);
    }

    @Test
    void anItemPoppedFromAListStaysWithItsLayer() {
        String out = run("seed(0); lin = Linear(2, 2); w0 = lin.weight.clone(); xs = [lin.weight, ones(2)]",
                "print(xs.pop(0).shape, xs.pop().tolist())",
                "print((lin.weight - w0).abs().sum().item() == 0, len(xs))");
        assertEquals("(2, 2) [1.0, 1.0]\ntrue 0\n", out);
    }

    private static final String PARAM_VIEW_LAYER = """
            layer V() {
                lin = Linear(2, 2)
                fn forward(x) { return lin.weight[0:] * x }
                fn view() { return lin.weight[0:] }
                fn flipped() { return lin.weight.T }
                fn same() { return lin.weight }
            }
            """;

    @Test
    void viewsOfAParameterAndResultsOfOperatorsOnItGoWithTheStatementAndTheParameterStillTrains() {
        String out = run(PARAM_VIEW_LAYER, "seed(0); net = V(); w0 = net.lin.weight.clone()",
                "print(net.view().shape, net.flipped().shape, net.same().shape, net(ones(2, 2)).shape)",
                "print(Sequential(net)(ones(2, 2)).shape, (net.lin.weight[0:] + 0).shape, net.lin.weight[0].shape)",
                "v = net.view(); t = net.flipped(); v = none; t = none",
                "print((net.lin.weight - w0).abs().sum().item() == 0)",
                "opt = SGD(lr=0.1, params=net); l = (net(ones(2, 2)) + net.flipped()).sum(); zero_grad(net); "
                        + "backward(l); step(opt)",
                "print(net.lin.weight.grad.tolist())",
                "print((net.lin.weight - (w0 - 0.2)).abs().max().item() < 1e-6)");
        assertEquals("(2, 2) (2, 2) (2, 2) (2, 2)\n(2, 2) (2, 2) (2,)\ntrue\n[[2.0, 2.0], [2.0, 2.0]]\ntrue\n", out);
    }

    @Test
    void theStatementRefusesToOwnALayersParameterHandedBackAsANewResult() {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out),
                new PrintWriter(new StringWriter()))) {
            io.cnnscript.TestFiles.confine(in);
            in.eval("seed(0); lin = Linear(2, 2); w = lin.weight; bn = BatchNorm(2); bn(ones(3, 2)); "
                    + "m = bn.running_mean", "own.cnn", false);
            ai.djl.ndarray.NDArray w = (ai.djl.ndarray.NDArray) in.get("w");
            ai.djl.ndarray.NDArray m = (ai.djl.ndarray.NDArray) in.get("m");
            in.eval("w = none; m = none", "own.cnn", false);
            in.sweep();
            // An operation on the weight makes its result in the weight's manager: that one is new.
            ai.djl.ndarray.NDArray fresh = w.mul(2);
            int level = in.mem.enter();
            // Handed back as if they were new (no Borrowed, not an input): the parameter, a
            // buffer, and the result made beside them.
            org.junit.jupiter.api.Assertions.assertSame(w, in.adopt(w));
            in.adopt(io.cnnscript.value.Tuple.of(m, fresh));
            in.mem.exit(level);
            assertEquals(java.util.List.of(false, false, true),
                    java.util.List.of(w.isReleased(), m.isReleased(), fresh.isReleased()));
            in.eval("opt = SGD(lr=0.5, params=lin); w0 = lin.weight.clone(); l = lin(ones(1, 2)).sum(); "
                    + "backward(l); step(opt); print((lin.weight - (w0 - 0.5)).abs().max().item() < 1e-6, "
                    + "bn.running_mean.shape)", "own.cnn", false);
        }
        assertEquals("true (2,)\n", out.toString());
    }

    @Test
    void scratchScopesFreeWhatOperationsMakeOnTheWaySoLoopsDoNotGrow() {
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))) {
            io.cnnscript.TestFiles.confine(in);
            in.eval("x = rand(4, 5); i = tensor[[1, 2]]; p = param(rand(3)); K = ones(2, 2)", "own.cnn", false);
            // each line makes tensors on the way that it does not return: scalars made tensors,
            // dtype conversions, a list index made a tensor, var's steps, // computed in Java,
            // tensors compared inside lists
            String loop = "for r in range(%d) { a = x * 2 + 1; b = x.var(1); c = x[[0, 1]]; d = x[true]; "
                    + "e = (x.int() // 2) %% 3; f = list(x); g = x.T; h = corr2d(x, K); j = arange(0, 1, 0.25); "
                    + "k = x.mean((0, 1)); x[0, 0] = 0.5; x[i] += 1; l = tensor[[1.0, 2.0]] * 3; m = -x; "
                    + "q = (p * 2).sum(); backward(q); s = p.grad; y = x.argmax(); z = stack([x, x]); "
                    + "u = 2 in [x[0, 0], 1]; w = [x[0, 0]] == [x[0, 1]] }";
            long[] counts = new long[2];
            for (int r = 0; r < 2; r++) {
                in.eval(String.format(loop, r == 0 ? 20 : 300), "own.cnn", false);
                in.sweep();
                counts[r] = in.memoryUsage()[0];
            }
            org.junit.jupiter.api.Assertions.assertTrue(counts[1] <= counts[0],
                    "native arrays grew from " + counts[0] + " to " + counts[1]);
        }
    }

    @Test
    void theCallOwnsWhatBuiltinsMakeSoLoopsDoNotGrow() {
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()))) {
            io.cnnscript.TestFiles.confine(in);
            in.eval("x = rand(4, 5); lin = Linear(5, 3); d = Dropout(0.5); d.eval()", "own.cnn", false);
            String loop = "for i in range(%d) { a = x.abs().reshape(5, 4); v, k = x.max(1); c = clamp(x, 0.2, 0.8); c2 = x.clamp(min=0.5); "
                    + "y = Sequential(lin, d)(x); e = x.exp() }";
            long[] counts = new long[2];
            for (int r = 0; r < 2; r++) {
                in.eval(String.format(loop, r == 0 ? 50 : 500), "own.cnn", false);
                in.sweep();
                counts[r] = in.memoryUsage()[0];
            }
            org.junit.jupiter.api.Assertions.assertTrue(counts[1] <= counts[0],
                    "native arrays grew from " + counts[0] + " to " + counts[1]);
        }
    }
}

package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gradients and in-place changes behave as in PyTorch 1.13: each row is a program and the
 * whole transcript it gives (what it prints, then the error it stops with), the expected text
 * being what the same program prints in PyTorch (run with /usr/bin/python3 when the row was
 * written). In the programs ';' separates statements; in the transcripts '|' stands for a newline.
 */
class AutogradTest {

    private static void check(String program, String transcript) {
        ScriptRunner.Result r = ScriptRunner.run(program, "t.cnn");
        assertEquals(transcript.replace('|', '\n') + "\n", r.transcript(), program);
    }

    /** Issue 10, item 1: a reduction fused on the Java side kept no graph. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            w = param(tensor[0.5, -1.0, 2.0]); l = (w.relu() * 3).sum() + w.sum(); backward(l); print(w.grad) # tensor([4., 1., 4.])
            seed(1); lin = Linear(2, 2); backward((lin(ones(1, 2)) * 2).sum()); print(lin.weight.grad) # tensor([[2., 2.],|        [2., 2.]])
            w = param(tensor[1.0, 2.0]); backward((w.exp() - 1).sum()); print(w.grad) # tensor([2.7183, 7.3891])
            w = param(tensor[1.0, 2.0]); v = w * 2; backward((v * v).mean()); print(w.grad) # tensor([4., 8.])
            w = param(tensor[1.0, 2.0]); v = w * 2; backward((v[0:1] * 3).max()); print(w.grad) # tensor([6., 0.])
            w = param(tensor[[1.0, 2.0], [3.0, 4.0]]); X = ones(3, 3); backward((X[0:2, 0:2] * w.t()).min()); print(w.grad) # tensor([[1., 0.],|        [0., 0.]])
            X = ones(3, 3); w = param(ones(2, 2)); Y = zeros(2, 2); Y[0, 0] = (X[0:2, 0:2] * w).sum(); backward(Y.sum()); print(w.grad) # tensor([[1., 1.],|        [1., 1.]])
            """)
    void gradientsFlowThroughFusedReductions(String program, String transcript) {
        check(program, transcript);
    }

    private static final String HINT = " Hint: enable anomaly detection to find the operation that failed to compute"
            + " its gradient, with torch.autograd.set_detect_anomaly(True).";

    /** Issue 10, item 2: writing one element of a tensor that a graph saved is an in-place change. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            w = param(ones(3, 3)); X = ones(3, 3); Y = w * X; X[0, 0] = 5.0; backward(Y.sum()); print(w.grad) # t.cnn:1:66: backward(): one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3, 3]] is at version 1; expected version 0 instead.
            w = param(ones(2, 2)); X = ones(3, 3); Y = w * X[0:2, 0:2]; X[0, 0] = (X[1:3, 1:3] * 2).sum(); X[2, 2] = 1.0; backward(Y.sum()) # t.cnn:1:111: backward(): one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2, 2]] is at version 2; expected version 0 instead.
            w = param(ones(3)); X = ones(3); Y = (w * X).sum(); X += 1; backward(Y) # t.cnn:1:61: backward(): one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] is at version 1; expected version 0 instead.
            w = param(ones(3)); X = ones(3); Y = (w + X).sum(); X[0] = 2.0; backward(Y); print(w.grad) # tensor([1., 1., 1.])
            """)
    void writesIntoASavedTensorMakeBackwardFail(String program, String transcript) {
        check(program, transcript.startsWith("t.cnn") ? transcript + HINT : transcript);
    }

    /** Issue 10, item 4: in-place changes stay in place, and refuse what PyTorch refuses. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            X = arange(6); Y = X; X += 1.5 # t.cnn:1:23: result type Float can't be cast to the desired output type Long
            X = arange(6); Y = X; X += 1; print(Y) # tensor([1, 2, 3, 4, 5, 6])
            X = arange(6); X[-1] -= 2.5 # t.cnn:1:16: result type Float can't be cast to the desired output type Long
            X = arange(6); X[1:3] /= 2 # t.cnn:1:16: result type Float can't be cast to the desired output type Long
            X = arange(6); X /= 2 # t.cnn:1:16: result type Float can't be cast to the desired output type Long
            B = tensor[true, false]; B += 1 # t.cnn:1:26: result type Long can't be cast to the desired output type Bool
            print(arange(4).fill_(2.5), arange(4).fill_(-2.5), (ones(2) / 0).zero_(), tensor[true, false].fill_(2.5)) # tensor([2, 2, 2, 2]) tensor([-2, -2, -2, -2]) tensor([0., 0.]) tensor([True, True])
            X = arange(6).reshape(2, 3); X[1, 2].fill_(9); X[0].zero_(); print(X) # tensor([[0, 0, 0],|        [3, 4, 9]])
            X = arange(6).reshape(2, 3); X[1:2, 2] += 1; X[0, ::2] *= 3; X[-1, -1] -= 2; print(X) # tensor([[0, 1, 6],|        [3, 4, 4]])
            X = arange(6).reshape(2, 3); Y = X[0]; Y += 10; print(X) # tensor([[10, 11, 12],|        [ 3,  4,  5]])
            X = ones(3); X[0:2] += tensor[1.5, 2.5]; print(X) # tensor([2.5000, 3.5000, 1.0000])
            w = param(ones(2)); w[0] = 5 # t.cnn:1:21: a view of a leaf Variable that requires grad is being used in an in-place operation.
            w = param(ones(2)); w[0:1] = 5 # t.cnn:1:21: a view of a leaf Variable that requires grad is being used in an in-place operation.
            w = param(ones(2)); w[0] += 1 # t.cnn:1:21: a view of a leaf Variable that requires grad is being used in an in-place operation.
            w = param(ones(2)); w.fill_(2) # t.cnn:1:21: a leaf Variable that requires grad is being used in an in-place operation.
            w = param(ones(2)); w.zero_() # t.cnn:1:21: a leaf Variable that requires grad is being used in an in-place operation.
            w = param(ones(2)); v = w * 2; v[0] = 5; backward(v.sum()); print(w.grad) # tensor([0., 2.])
            w = param(ones(2)); X = zeros(3); X[0:2] = w; backward(X.sum()); print(w.grad) # tensor([1., 1.])
            """)
    void inPlaceChangesAreInPlace(String program, String transcript) {
        check(program, transcript);
    }

    /** Issue 10, item 5: step() leaves the gradients, as PyTorch's optimizer.step() does. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            w = param(tensor[1.0, 2.0]); opt = SGD(lr=0.1, params=[w]); backward((w * w).sum()); step(opt); print(w.grad, w.data); opt2 = Adam(lr=0.1, params=[w]); step(opt2); print(w.grad, w.data); opt.step(); print(w.grad) # tensor([2., 4.]) tensor([0.8000, 1.6000])|tensor([2., 4.]) tensor([0.7000, 1.5000])|tensor([2., 4.])
            s = param(tensor[2.0].sum()); o = SGD(lr=1.0, params=[s]); backward(s * -3); step(o); print(s.grad, s.data); o.zero_grad(); print(s.grad) # tensor(-3.) tensor(5.)|tensor(0.)
            """)
    void stepLeavesTheGradients(String program, String transcript) {
        check(program, transcript);
    }
    /**
     * X.requires_grad, X.is_leaf and X.requires_grad_() as PyTorch 1.13 gives them (the values
     * printed are PyTorch's; the errors are raised where PyTorch raises, in cnnscript's words).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            w = param(tensor[1.0, 2.0]); v = w * 2; print(w.requires_grad, w.is_leaf, v.requires_grad, v.is_leaf) # true true true false
            X = tensor[1, 2]; print(X.requires_grad, X.is_leaf); X.requires_grad_() # false true|t.cnn:1:54: requires_grad_(): only tensors of floating point dtype can require gradients, this one is int64; use .float() first
            X = tensor[1.5, 2.0]; Y = X.requires_grad_(); print(Y, X.requires_grad, X.is_leaf); backward((X * X).sum()); print(X.grad) # tensor([1.5000, 2.0000], requires_grad=True) true true|tensor([3., 4.])
            X = tensor[1.5, 2.0].requires_grad_(); X.requires_grad_(false); print(X, X.requires_grad, X.is_leaf) # tensor([1.5000, 2.0000]) false true
            w = param(tensor[1.0, 2.0]); v = w * 2; v.requires_grad_(); print(v.requires_grad, v.is_leaf); v.requires_grad_(false) # true false|t.cnn:1:96: requires_grad_(false): you can only change requires_grad flags of leaf variables; this tensor was computed from one that requires grad (use .detach() for its values outside the graph)
            w = param(tensor[1.0, 2.0]); print(w.detach().requires_grad, w.detach().is_leaf, w.data.is_leaf, (w > 1).requires_grad, w.argmax().is_leaf) # false true true false true
            X = tensor[1, 2]; print(X.requires_grad_(false)) # tensor([1, 2])
            X = tensor[true]; X.requires_grad_(true) # t.cnn:1:19: requires_grad_(): only tensors of floating point dtype can require gradients, this one is bool; use .float() first
            X = tensor[1.0]; X.requires_grad_(1) # t.cnn:1:18: requires_grad_() requires_grad must be a bool, not int
            """)
    void requiresGradAndIsLeafAsInPyTorch(String program, String transcript) {
        check(program, transcript);
    }
    /**
     * Copies and dtype conversions of a tensor that records gradients stay in the graph, as in
     * PyTorch (DJL's duplicate and toType cut it: w.clone() * 2 + w gave w the gradient 1).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            w = param(tensor[1.0, 2.0]); backward((w.clone() * 2 + w).sum()); print(w.grad) # tensor([3., 3.])
            v = param(tensor[1.0, 2.0]); backward((v * tensor[1.0].double()).sum() + v.sum()); print(v.grad) # tensor([2., 2.])
            u = param(tensor[1.0, 2.0]); backward((u.double() * 3).sum() + u.sum()); print(u.grad) # tensor([4., 4.])
            d = param(tensor[1.0, 2.0].double()); backward((d.float() * 3).sum() + d.sum()); print(d.grad) # tensor([4., 4.], dtype=torch.float64)
            s = param(as_tensor(2.0)); backward(s.clone() * 5 + cat([s.reshape(1)]).sum() + s.double()); print(s.grad, s.float().is_leaf, s.T.is_leaf) # tensor(7.) true false
            X = tensor[1.5, -0.0]; Y = X.float(); Y += 1; print(X, X.clone(), X.double()) # tensor([2.5000, 1.0000]) tensor([2.5000, 1.0000]) tensor([2.5000, 1.0000], dtype=torch.float64)
            """)
    void copiesKeepTheGraph(String program, String transcript) {
        check(program, transcript);
    }
}

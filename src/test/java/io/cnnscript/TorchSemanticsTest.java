package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What cnnscript once chose differently from PyTorch now behaves as PyTorch 1.13 (issue 10's last
 * known divergences): each row is a program and its whole transcript (what it prints, then the
 * error it stops with), the expected text being what the same program printed in PyTorch (run
 * with /usr/bin/python3 when the row was written). In the programs ';' separates statements; in
 * the transcripts '|' stands for a newline.
 */
class TorchSemanticsTest {

    private static void check(String program, String transcript) {
        ScriptRunner.Result r = ScriptRunner.run(program, "t.cnn");
        assertEquals(transcript.replace('|', '\n') + "\n", r.transcript(), program);
    }

    /** .any() and .all() give a 0-d bool tensor (uint8 for uint8), which if, while and not read as a truth value. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            print(tensor[[1, 0], [2, 3]].any(), tensor[[1, 0], [2, 3]].all(), zeros(0).all(), zeros(0).any()) # tensor(True) tensor(False) tensor(True) tensor(False)
            print(tensor[1, 2].any().dtype, tensor[0, 2].all().shape, as_tensor([1, 0], dtype='uint8').any(), as_tensor([1, 0], dtype='uint8').all()) # bool () tensor(1, dtype=torch.uint8) tensor(0, dtype=torch.uint8)
            X = ones(2); if X.any() { print('yes') }; if not (X > 1).all() { print('no') } # yes|no
            if ones(2) > 0 { print('never') } # t.cnn:1:12: the truth of a tensor with 2 elements is ambiguous; use .any() or .all(), or compare a single element
            """)
    void anyAndAllGiveABoolTensor(String program, String transcript) {
        check(program, transcript);
    }

    /** A 0-d tensor compared with a number gives a 0-d bool tensor; chains, and/or and while read it as Python does. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            print(as_tensor(3) < 5, 5 > as_tensor(3.5), tensor[0.1][0] == 0.1, as_tensor(2).double() != 2) # tensor(True) tensor(True) tensor(True) tensor(False)
            l = as_tensor(0.05); print(0 < l < 1, l < 0 < 1, l < 1 and l > 0, l > 1 or 7) # tensor(True) tensor(False) tensor(True) 7
            l = as_tensor(0.05); while l < 1 { l = l * 2 }; print(l) # tensor(1.6000)
            """)
    void zeroDimComparisonsGiveABoolTensor(String program, String transcript) {
        check(program, transcript);
    }

    /** A tensor slice steps forwards only, as in PyTorch; lists, tuples and strings reverse; flip reverses a tensor. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            X = arange(4); print(X[::-1]) # t.cnn:1:22: step must be greater than zero: a tensor slice cannot step backwards, as in PyTorch; X.flip(d) reverses dimension d
            X = zeros(2, 3); X[1, 2:0:-1] = 1 # t.cnn:1:18: step must be greater than zero: a tensor slice cannot step backwards, as in PyTorch; X.flip(d) reverses dimension d
            X = zeros(2, 3); X[:, ::-2] += 1 # t.cnn:1:18: step must be greater than zero: a tensor slice cannot step backwards, as in PyTorch; X.flip(d) reverses dimension d
            print([1, 2, 3][::-1], 'abc'[::-1], (1, 2)[::-1]) # [3, 2, 1] cba (2, 1)
            X = arange(3); print(X[true], X[false], X[true, 1], [1, 2][true]) # tensor([[0, 1, 2]]) tensor([], size=(0, 3), dtype=torch.int64) tensor([1]) 2
            Y = zeros(2); Y[true] = 5; Y[false] = 7; print(Y) # tensor([5., 5.])
            X = arange(24).reshape(2, 3, 4); print(X[..., ...].shape, X[0, ..., ...].shape, X[1, ..., 2, ...], X[none, ..., ...].shape) # (2, 3, 4) (3, 4) tensor([14, 18, 22]) (1, 2, 3, 4)
            X = arange(6).reshape(2, 3); X[..., 0, ...] = -1; print(X, arange(3)[..., ..., 1]) # tensor([[-1,  1,  2],|        [-1,  4,  5]]) tensor(1)
            X = arange(6).reshape(2, 3); print(X.flip(1), X.flip((0, 1)), X.flip(-2, 1), as_tensor(2.5).flip(0)) # tensor([[2, 1, 0],|        [5, 4, 3]]) tensor([[5, 4, 3],|        [2, 1, 0]]) tensor([[5, 4, 3],|        [2, 1, 0]]) tensor(2.5000)
            w = param(tensor[1.0, 2.0, 3.0]); backward((w.flip(0) * tensor[1.0, 10.0, 100.0]).sum()); print(w.grad) # tensor([100.,  10.,   1.])
            """)
    void tensorSlicesStepForwards(String program, String transcript) {
        check(program, transcript);
    }

    /**
     * What PyTorch 1.13 computes but cannot differentiate: w // 2 for a tensor that records
     * gradients, MSE of two dtypes. The value is PyTorch's; a backward through it fails with
     * PyTorch's words, and one that does not go through it is not disturbed. The same holds for
     * a tensor computed from a param (not a leaf), and for {@code v //= 2} in place.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            w = param(ones(3)); print(w // 2); backward((w // 2).sum()) # tensor([0., 0., 0.])|t.cnn:1:36: backward(): derivative for aten::floor_divide is not implemented
            w = param(ones(3)); backward(((w // 2) * 0 + w).sum()); print(w.grad) # t.cnn:1:21: backward(): derivative for aten::floor_divide is not implemented
            w = param(tensor[-0.0, 3.0, float('nan')]); print(w // 2, 7 // w) # tensor([-0., 1., nan]) tensor([-inf, 2., nan])
            w = param(ones(3)); y = w // 2; backward(w.sum()); print(w.grad) # tensor([1., 1., 1.])
            w = param(ones(2)); for i in range(5000) { y = w // 2 }; backward(w.sum()); backward((y + w).sum()) # t.cnn:1:77: backward(): derivative for aten::floor_divide is not implemented
            Z = param(tensor[1.0, 2.0]); l = MSE(Z, tensor[1, 3]); print(l); backward(l) # tensor(0.5000)|t.cnn:1:66: backward(): Found dtype Long but expected Float
            Z = param(tensor[1.0, 2.0].double()); l = MSE(Z, tensor[[1.0], [3.0]]); print(l); backward(l * 2) # tensor(1.5000, dtype=torch.float64)|t.cnn:1:83: backward(): Found dtype Float but expected Double
            Z = param(tensor[1.0, 2.0]); l = MSE(Z, tensor[1.0, 3.0]); backward(l); print(Z.grad) # tensor([ 0., -1.])
            w = param(tensor[1.5, 2.5]); v = w * 1; y = v // 2; print(y); backward((y * w).sum()) # tensor([0., 1.])|t.cnn:1:63: backward(): derivative for aten::floor_divide is not implemented
            w = param(tensor[1.5, 2.5]); v = w * 1; v //= 2; print(v); backward((v * w).sum()) # tensor([0., 1.])|t.cnn:1:60: backward(): derivative for aten::floor_divide_ is not implemented
            w = param(tensor[1.5, 2.5]); v = w * 3; u = v * 1; v //= 2; backward((u * w).sum()); print(w.grad) # tensor([ 9., 15.])
            w = param(tensor[1.5, 2.5]); l = MSE(w * 1, tensor[1, 2]); print(l); backward(l) # tensor(0.2500)|t.cnn:1:70: backward(): Found dtype Long but expected Float
            """)
    void computedButNotDifferentiable(String program, String transcript) {
        check(program, transcript);
    }

    /**
     * An operand converted to the result's dtype stays in the autograd graph, as PyTorch records
     * the conversion: a float32 param with a float64 tensor, a 0-d float64 param narrowed by a
     * float32 tensor. (DJL's conversion left the graph: the first gave "does not depend on any
     * param", the last silently dropped the mixed term from u.grad, [3., 5.].) Values from PyTorch 1.13.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            v = param(tensor[1.0, 2.0]); backward((v + tensor[1.0].double()).sum()); print(v.grad) # tensor([1., 1.])
            W = ones(2, 2); y = param(tensor[3.0].double()); backward((W * y[0]).sum()); print(y.grad) # tensor([4.], dtype=torch.float64)
            u = param(tensor[1.5, 2.5]); l = (u * u).sum() + (u * tensor[2.0, 4.0].double()).sum(); backward(l); print(u.grad, l) # tensor([5., 9.]) tensor(21.5000, dtype=torch.float64)
            """)
    void mixedDtypesKeepTheGraph(String program, String transcript) {
        check(program, transcript);
    }

    /** Python's names of types; an int (or a bool, which counts as one) repeats a sequence from either side. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            print(3 * 'ab', 2 * [1], 2 * (1,), 0 * 'x', -1 * [1]) # ababab [1, 1] (1, 1)  []
            print('ab' * true, [1] * false, (1,) * true, true * 'ab', false * [2], abs(false), abs(true), true + true) # ab [] (1,) ab [] 0 1 2
            print(type(range(3)), type(true), type(none), type([]), type(()), type(ones(1))) # range bool none list tuple tensor
            """)
    void typeNames(String program, String transcript) {
        check(program, transcript);
    }

    /** MSE broadcasts y_hat and y as PyTorch's MSELoss does, in the dtype they promote to. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', textBlock = """
            Z = param(tensor[[2.25]]); l = MSE(Z, tensor[[[[-2.0]], [[5.0]], [[-1.25]]], [[[-1.75]], [[6.0]], [[-1.75]]], [[[1.0]], [[2.5]], [[-2.75]]]]); print(l); backward(l); print(Z.grad) # tensor(12.2847)|tensor([[3.3889]])
            Y = param(tensor[[1.0], [2.0], [4.0]]); l = MSE(Y, tensor[1.0, 2.0, 3.0]); backward(l); print(l, Y.grad) # tensor(2.3333) tensor([[-0.6667],|        [ 0.0000],|        [ 1.3333]])
            print(MSE(ones(2), ones(2).double()), MSE(ones(2), arange(2)), MSE(tensor[1.5, 2.5], tensor[true, false]), MSE(as_tensor(2.0).double(), ones(3))) # tensor(0., dtype=torch.float64) tensor(0.5000) tensor(3.2500) tensor(1., dtype=torch.float64)
            """)
    void mseBroadcastsAsPyTorch(String program, String transcript) {
        check(program, transcript);
    }
}

package io.cnnscript;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cnnscript.error.CnnException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error a user can cause names its place (file:line:col) and says what is wrong in words. */
class ErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            print(1 +                                  | t.cnn:1:6: '(' is never closed
            X = tensor[[1, 2], [3, 4]]]                | t.cnn:1:27: unmatched ']'
            x = 3 $ 4                                  | t.cnn:1:7: unexpected character '$'
            y = 2 *                                    | t.cnn:1:8: unexpected end of input
            else { print(1) }                          | t.cnn:1:1: 'else' without an 'if' before it
            x = 1 2                                    | t.cnn:1:7: unexpected '2'
            `"unterminated`                            | t.cnn:1:1: unterminated string
            break                                      | t.cnn:1:1: 'break' outside a loop
            return 1                                   | t.cnn:1:1: 'return' outside a function
            fn f(a=1, b) { }                           | t.cnn:1:11: parameter 'b' without a default follows one with a default
            f(a=1, 2)                                  | t.cnn:1:8: a positional argument cannot follow a keyword argument
            3 = x                                      | t.cnn:1:1: cannot assign to this expression; assign to a name, an index X[i] or an attribute
            print(corrd2(1, 2))                        | t.cnn:1:7: 'corrd2' is not defined; did you mean 'corr2d'?
            print(foo)                                 | t.cnn:1:7: 'foo' is not defined
            corr2d(ones(3, 3))                         | t.cnn:1:1: corr2d() is missing its argument 'K'; it takes corr2d(X, K)
            corr2d(ones(3, 3), ones(2, 2), 3)          | t.cnn:1:1: corr2d() takes 2 arguments, but 3 were given
            corr2d(ones(3, 3), kernel=ones(2, 2))      | t.cnn:1:1: corr2d() has no parameter named 'kernel'; it takes corr2d(X, K)
            zeros(2, 'a')                              | t.cnn:1:1: zeros() size 2 must be an int, not string
            ones(2, 3) + ones(3, 2)                    | t.cnn:1:12: shapes (2, 3) and (3, 2) do not fit for '+': The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1
            ones(2, 3) @ ones(2, 3)                    | t.cnn:1:12: '@' cannot multiply shapes (2, 3) and (2, 3): 3 columns against 2 rows
            X = ones(3, 3); print(X[3, 0])             | t.cnn:1:23: index 3 is out of range for dimension 0 of size 3 (shape (3, 3))
            X = ones(3, 3); print(X[0, 0, 0])          | t.cnn:1:23: too many indices: the tensor has 2 dimensions (shape (3, 3)), got 3 indices
            X = ones(3, 3); X[0:2, :] = ones(3, 3)     | t.cnn:1:17: cannot assign a tensor of shape (3, 3) to a part of shape (2, 3): The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [2, 3].  Tensor sizes: [3, 3]
            fn f(a, b) { return a + b }; f(1)          | t.cnn:1:30: f() is missing its argument 'b'; it takes f(a, b)
            fn f(a, b) { return a + b }; f(1, 2, 3)    | t.cnn:1:30: f() takes 2 arguments, but 3 were given
            fn f(a) { return a }; f(b=2)               | t.cnn:1:23: f() has no parameter named 'b'; it takes f(a)
            fn f(a) { return f(a) }; f(1)              | t.cnn:1:18: too deep: more than 800 nested calls (endless recursion in f?)
            x = 1 / 0                                  | t.cnn:1:7: division by zero
            `"abc" - 1`                                | t.cnn:1:7: cannot apply '-' to string and int
            X = ones(2, 2); X.foo()                    | t.cnn:1:17: a tensor has no attribute or method 'foo'
            X = ones(2, 2); X.sun()                    | t.cnn:1:17: a tensor has no attribute or method 'sun'; did you mean 'sum'?
            X = ones(2, 2); print(X.shape[5])          | t.cnn:1:23: index 5 is out of range for a tuple of length 2
            for x in 5 { }                             | t.cnn:1:10: cannot loop over an int
            h, w = (1, 2, 3)                           | t.cnn:1:1: cannot unpack 3 values into 2 names
            x = ones(2, 2); if x { }                   | t.cnn:1:20: the truth of a tensor with 4 elements is ambiguous; use .any() or .all(), or compare a single element
            `print("%d %d" % 1)`                       | t.cnn:1:15: not enough values for the format string: it has more % fields than the 1 given
            ones(2, 3).reshape(4, 2)                   | t.cnn:1:1: reshape() cannot make shape (4, 2) from 6 elements (shape (2, 3))
            x = tensor[[1, 2], [3]]                    | t.cnn:1:5: tensor rows must all have the same length: found a row of 1 where the first has 2
            f = 3; f(2)                                | t.cnn:1:8: an int cannot be called ('f' is an int)
            x = zeros(100000, 100000)                  | t.cnn:1:5: zeros() of shape (100000, 100000) would hold 10,000,000,000 elements; the limit is 2,147,483,648
            corr2d(ones(2, 2), ones(4, 3))             | t.cnn:1:1: corr2d() kernel of shape (4, 3) is larger than the input of shape (2, 2) by more than one row or column
            corr2d(ones(2, 2, 2), ones(1, 1))          | t.cnn:1:1: corr2d() takes a 2-D input and a 2-D kernel, got shapes (2, 2, 2) and (1, 1)
            x = 1; x.y = 2                             | t.cnn:1:10: cannot set attribute 'y' of an int
            fn g() { return zz }; g()                  | t.cnn:1:17: 'zz' is not defined
            fn g() { y = y + 1 }; g()                  | t.cnn:1:14: 'y' is used before it is given a value
            backward(ones(2))                          | t.cnn:1:1: backward() needs a loss with one element, this one has shape (2,); reduce it first, e.g. with .sum()
            x = ones(2, 2); y = x and 1                | t.cnn:1:21: the truth of a tensor with 4 elements is ambiguous; use .any() or .all(), or compare a single element
            X = ones(3); print(X[1:'a'])               | t.cnn:1:24: a slice bound must be an int, not string
            x = ones(2); x[0:'a'] += 1                 | t.cnn:1:18: a slice bound must be an int, not string
            print(1 < 2 < 'a')                         | t.cnn:1:13: cannot apply '<' to int and string
            while ones(2) { }                          | t.cnn:1:7: the truth of a tensor with 2 elements is ambiguous; use .any() or .all(), or compare a single element
            y = [i for i in range(3) if ones(2)]       | t.cnn:1:29: the truth of a tensor with 2 elements is ambiguous; use .any() or .all(), or compare a single element
            print(*3)                                  | t.cnn:1:7: an argument after '*' must be a list or tuple, not int
            backward(ones(1).sum())                    | t.cnn:1:1: backward(): the loss does not depend on any param(), so there is no gradient to compute
            param(tensor[1, 2])                        | t.cnn:1:1: param() needs a float tensor, this one is int64; use .float() first
            tensor[1, 2].mean()                        | t.cnn:1:1: mean() needs a float tensor, this one is int64; use .float() first
            ones(2, 2).sum(dim=3)                      | t.cnn:1:1: sum() dim 3 is out of range for a tensor of shape (2, 2)
            ones(2, 3).max(dim=(0, 1))                 | t.cnn:1:1: max() takes one dim (an int), not a tuple of dims, as in PyTorch; reduce one dim at a time
            ones(2, 3).sum(dim=(0, -2))                | t.cnn:1:1: sum() dim 0 appears more than once in the dims (0, -2)
            arange(5, 0)                               | t.cnn:1:1: arange() cannot go from 5 to 0 by a step of 1 (PyTorch: upper bound and larger bound inconsistent with step sign)
            tensor[1, 2] ** -1                         | t.cnn:1:14: an int tensor cannot be raised to a negative int power (-1), as in PyTorch: Integers to negative integer powers are not allowed; use X.float() ** -1
            tensor[1, 2].norm()                        | t.cnn:1:1: norm() needs a float tensor, this one is int64; use .float() first
            tensor[true].softmax(0)                    | t.cnn:1:1: softmax() needs a float tensor, this one is bool; use .float() first
            ones(2, 2, 2).t()                          | t.cnn:1:1: t() needs a tensor of at most 2 dimensions, this one has shape (2, 2, 2); use .transpose(dim0, dim1) or .T
            ones(2, 2, 2, 2).flatten(-5)               | t.cnn:1:1: flatten() dim -5 is out of range for a tensor of shape (2, 2, 2, 2)
            MaxPool(2)(ones(3, 3))                     | t.cnn:1:1: MaxPool(kernel_size=2, stride=2, padding=0) expects an input of shape (N, C, H, W) or (C, H, W), got (3, 3)
            X = ones(3, 3); print(X[5, ...])           | t.cnn:1:23: index 5 is out of bounds for dimension 0 with size 3
            X = ones(3, 3); print(X[tensor[0.5]])      | t.cnn:1:23: tensors used as indices must be int or bool tensors, this one is float32
            X = ones(3, 3); print(X[..., ..., 0])      | t.cnn:1:23: too many indices: after a second '...' no dimension is left for an index (PyTorch 1.13: index out of bounds for a dimension of size 0)
            print(float('1.5f'))                       | t.cnn:1:7: float() cannot read '1.5f'
            as_tensor(1.5).permute()                   | t.cnn:1:1: permute() is missing its argument 'dims'; it takes X.permute(*dims)
            cat([ones(2, 2), ones(3, 3)], dim=1)       | t.cnn:1:1: cat() along dim 1 needs the other dimensions to agree: item 0 has shape (2, 2), item 1 has (3, 3)
            stack([ones(2), ones(3)])                  | t.cnn:1:1: stack() needs tensors of one shape: item 0 has shape (2,), item 1 has (3,)
            x = [1, 2]; x[5] = 1                       | t.cnn:1:13: index 5 is out of range for a list of length 2
            t = (1, 2); t[0] = 5                       | t.cnn:1:13: cannot assign into a tuple (it cannot change)
            zeros(2, 2, dtype='float8')                | t.cnn:1:1: unknown dtype 'float8'; use float32, float64, int64, int32, int8, uint8 or bool
            range(1, 2, 0)                             | t.cnn:1:1: range() step cannot be zero
            X = ones(3); X[::0]                        | t.cnn:1:14: slice step cannot be zero
            x = 2 ** 10 ** 12                          | t.cnn:1:7: int too large: the result would have more than 100,000 bits, the limit for ints (about 30,000 digits)
            x = ones(2) + 2 ** 64                      | t.cnn:1:13: Overflow when unpacking long: 18446744073709551616 is outside int64, the range of a tensor's ints
            x = tensor[1, 2 ** 63]                     | t.cnn:1:5: Overflow when unpacking long: 9223372036854775808 is outside int64, the range of a tensor's ints
            ones(2 ** 64)                              | t.cnn:1:1: ones() size 1 is too large: 18446744073709551616 does not fit in 64 bits
            len(range(2 ** 64))                        | t.cnn:1:1: len() of a range of 18446744073709551616 ints: a length cannot be more than 2**63 - 1 (Python raises OverflowError here too); loop over it instead
            x = 2 ** 1024 + 0.5                        | t.cnn:1:15: int too large to convert to float
            x = 0 ** -1                                | t.cnn:1:7: 0.0 cannot be raised to a negative power
            x = (-8) ** (1 / 3)                        | t.cnn:1:10: a negative number cannot be raised to a fractional power (Python would give a complex number; cnnscript has none)
            x = 10.0 ** 400                            | t.cnn:1:10: '**' result too large for a float (Numerical result out of range)
            x = 7 // 0                                 | t.cnn:1:7: floor division by zero
            x = 7.5 // 0.0                             | t.cnn:1:9: floor division by zero
            x = tensor[5, 6] // 0                      | t.cnn:1:18: ZeroDivisionError: integer '//' by zero in a tensor
            x = tensor[5, 6] % tensor[1, 0]            | t.cnn:1:18: ZeroDivisionError: integer '%' by zero in a tensor
            x = tensor[-9223372036854775807 - 1] // -1 | t.cnn:1:38: integer overflow: -9223372036854775808 // -1 does not fit in int64 (PyTorch's kernel stops the process on it)
            x = tensor[-2147483648].int() // tensor[-1].int() | t.cnn:1:31: integer overflow: -2147483648 // -1 does not fit in int32 (PyTorch's kernel stops the process on it)
            x = tensor[true] // tensor[true]           | t.cnn:1:18: '//' is not implemented for bool tensors (PyTorch: "div_floor_cpu" not implemented for 'Bool')
            X = arange(6); X //= 2.5                   | t.cnn:1:16: result type Float can't be cast to the desired output type Long
            x = tensor[true] - true                    | t.cnn:1:18: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.
            x = 1 - tensor[true]                       | t.cnn:1:7: Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
            x = -tensor[true]                          | t.cnn:1:5: Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
            x = arange(0, 2.5, 0.5, dtype="int64")      | t.cnn:1:5: arange() step 0.5 is 0 as an int (PyTorch: step must be nonzero)
            x = ones(2) < 2 < 3                        | t.cnn:1:13: the truth of a tensor with 2 elements is ambiguous; use .any() or .all(), or compare a single element
            X = ones(3); print(X[::-1])                | t.cnn:1:20: step must be greater than zero: a tensor slice cannot step backwards, as in PyTorch; X.flip(d) reverses dimension d
            X = ones(2, 3); X[:, 2:0:-1] = 0           | t.cnn:1:17: step must be greater than zero: a tensor slice cannot step backwards, as in PyTorch; X.flip(d) reverses dimension d
            X = ones(2, 2); X[none, ::-1]              | t.cnn:1:17: step must be greater than zero: a tensor slice cannot step backwards, as in PyTorch; X.flip(d) reverses dimension d
            X = ones(2).flip()                         | t.cnn:1:5: flip() is missing its argument 'dims'; it takes X.flip(*dims)
            X = ones(2, 2).flip(0, -2)                 | t.cnn:1:5: flip(): dimension -2 is given twice; each dimension once
            l = MSE(ones(2), ones(3))                  | t.cnn:1:5: MSE: the shapes of input (2,) and target (3,) do not broadcast: the size of input (2) must match the size of target (3) at dimension -1
            l = MSE(arange(2), arange(2))              | t.cnn:1:5: MSE needs float tensors, as in PyTorch; input is int64 and target is int64: use .float()
            l = L1(ones(2), tensor[true, false])       | t.cnn:1:5: L1 of a bool tensor: PyTorch subtracts, and - refuses bool tensors; use .float()
            l = L1(arange(2), arange(2))               | t.cnn:1:5: L1 with reduction="mean" needs a float tensor, as in PyTorch; input is int64 and target is int64: use .float()
            l = MSE(ones(2), ones(2), reduction="avg") | t.cnn:1:5: MSE(): avg is not a valid value for reduction ("mean", "sum" or "none")
            l = CrossEntropy(ones(2, 3), tensor[0, 3]) | t.cnn:1:5: CrossEntropy: target 3 is out of bounds for 3 classes (0 to 2)
            l = CrossEntropy(ones(2, 3), tensor[0, 1].int()) | t.cnn:1:5: CrossEntropy expects class indices (int64) of shape (2,) or class probabilities (float) of shape (2, 3) as target, got int32 of shape (2,): use .long()
            l = CrossEntropy(ones(2, 3), tensor[[0], [1]]) | t.cnn:1:5: CrossEntropy expects target of shape (2,) for input of shape (2, 3), got (2, 1)
            l = CrossEntropy(ones(2, 3), ones(2, 3).long()) | t.cnn:1:5: CrossEntropy: a target of the input's shape (2, 3) holds class probabilities and must be float, got int64
            l = CrossEntropy(ones(2, 3), tensor[0, 1], weight=ones(2)) | t.cnn:1:5: CrossEntropy: weight must hold one value for each of the 3 classes, got shape (2,)
            l = CrossEntropy(ones(2, 3), tensor[0, 1], label_smoothing=1.5) | t.cnn:1:5: CrossEntropy: label_smoothing must be between 0.0 and 1.0, got 1.5
            l = CrossEntropy(as_tensor(1.0), tensor[0][0]) | t.cnn:1:5: CrossEntropy expects input of shape (C,), (N, C) or (N, C, d1, ...), got ()
            x = 3 in 5                                 | t.cnn:1:7: argument of type 'int' is not iterable
            x = [1] ; y = 2 not in none                | t.cnn:1:17: argument of type 'none' is not iterable
            x = 1 < 2 in 3                             | t.cnn:1:11: argument of type 'int' is not iterable
            x = 1 in "abc"                             | t.cnn:1:7: 'in <string>' needs a string on the left, not int
            x = "a" in ones(2)                         | t.cnn:1:9: Tensor.__contains__ only supports Tensor or scalar, but you passed in a string.
            x = range(10)[10]                          | t.cnn:1:5: index 10 is out of range for a range of length 10
            x = range(10)[1.5]                         | t.cnn:1:5: range indices must be ints or slices, not float
            x = sum(["a"], "")                         | t.cnn:1:5: sum() can't sum strings [use ''.join(seq) instead]
            x = ", ".join([1, 2])                      | t.cnn:1:5: join() item 0 must be a string, not int; use str(x) on it
            x = 1 if y                                 | t.cnn:1:7: unexpected 'if'; an if inside an expression needs its else: a if c else b
            x = list(range(10 ** 8))                   | t.cnn:1:5: list() argument: range(0, 100000000) has 100,000,000 ints; a list holds at most 10,000,000 items (a fixed limit of cnnscript, see docs/EMBEDDING.md): loop over the range with for, or use arange() for a tensor
            """)
    void errorSaysWhereAndWhat(String source, String expected) {
        CnnException e = ScriptRunner.run(source, "t.cnn").error();
        assertNotNull(e, "no error for: " + source);
        assertEquals(expected, e.getMessage());
    }
}

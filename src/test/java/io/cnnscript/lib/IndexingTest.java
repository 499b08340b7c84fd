package io.cnnscript.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.cnnscript.TestFiles;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.PyList;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Indexing alone: Python's slice rules ({@code slice.indices}) and list/tuple/string subscripts,
 * and PyTorch's basic and advanced tensor indexing, each checked against what Python 3 and
 * PyTorch 1.13 give for the same subscripts (their values are written out here).
 */
class IndexingTest {

    private static Interpreter rt;
    private static NDArray x;

    @BeforeAll
    static void start() {
        rt = TestFiles.confine(new Interpreter(NDManager.newBaseManager(), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())));
        x = rt.scope().arange(24L).reshape(2, 3, 4); // torch.arange(24).reshape(2, 3, 4)
    }

    @AfterAll
    static void stop() {
        x.close();
        rt.close();
    }

    private static SliceSpec slice(Long lo, Long hi, Long step) {
        return new SliceSpec(lo, hi, step);
    }

    private static PyList list(Object... items) {
        return new PyList(Arrays.asList(items));
    }

    // ------------------------------------------------------------------ slices, as Python resolves them

    /** "lo:hi:step length -> start stop step count", from Python's slice(lo, hi, step).indices(length). */
    private static final List<String> PYTHON_SLICES = List.of(
            ":: 5 -> 0 5 1 5",
            "1:: 5 -> 1 5 1 4",
            ":-1: 5 -> 0 4 1 4",
            "-2:: 5 -> 3 5 1 2",
            "-7:7: 5 -> 0 5 1 5",
            "3:1: 5 -> 3 1 1 0",
            "::2 5 -> 0 5 2 3",
            "1::3 5 -> 1 5 3 2",
            "::-1 5 -> 4 -1 -1 5",
            "::-2 5 -> 4 -1 -2 3",
            "3::-1 5 -> 3 -1 -1 4",
            "-1:-7:-1 5 -> 4 -1 -1 5",
            "7:-7:-2 5 -> 4 -1 -2 3",
            "1:3:-1 5 -> 1 3 -1 0",
            ":: 0 -> 0 0 1 0",
            "::-1 0 -> -1 -1 -1 0",
            "2:2: 5 -> 2 2 1 0",
            "0:5:7 5 -> 0 5 7 1",
            "-100:100: 5 -> 0 5 1 5",
            "4:0:-3 5 -> 4 0 -3 2");

    private static Long part(String s) {
        return s.isEmpty() ? null : Long.valueOf(s);
    }

    @Test
    void slicesResolveAsPythonsSliceIndices() {
        for (String row : PYTHON_SLICES) {
            String[] sides = row.split(" -> ");
            String[] in = sides[0].split(" ");
            String[] parts = (in[0] + " ").split(":");
            SliceSpec s = slice(part(parts[0]), part(parts[1]), part(parts[2].strip()));
            long[] r = s.resolve(Long.parseLong(in[1]));
            assertEquals(sides[1], r[0] + " " + r[1] + " " + r[2] + " " + SliceSpec.count(r), row);
        }
        CnnException e = assertThrows(CnnException.class, () -> slice(null, null, 0L).resolve(5));
        assertEquals("slice step cannot be zero", e.getMessage());
    }

    // ------------------------------------------------------------------ lists, tuples, strings

    private static String get(Object target, Object... subs) {
        return Values.repr(Indexing.get(rt, target, subs));
    }

    @Test
    void sequencesIndexAndSliceAsPython() {
        PyList xs = list(0L, 1L, 2L, 3L, 4L);
        assertEquals("4", get(xs, -1L));
        assertEquals("[4, 2, 0]", get(xs, slice(null, null, -2L)));
        assertEquals("[1, 4]", get(xs, slice(1L, null, 3L)));
        assertEquals("[]", get(xs, slice(3L, 1L, null)));
        assertEquals("(2, 1)", get(new Tuple(new Object[] {1L, 2L}), slice(null, null, -1L)));
        // A string is a sequence of code points: the emoji is one character.
        assertEquals("'😀b'", get("a😀b", slice(1L, null, null)));
        assertEquals("'b'", get("a😀b", 2L));
        assertEquals("index 5 is out of range for a list of length 5",
                assertThrows(CnnException.class, () -> get(xs, 5L)).getMessage());
        assertEquals("index -6 is out of range for a list of length 5",
                assertThrows(CnnException.class, () -> get(xs, -6L)).getMessage());
        assertEquals("a list takes one index, got 2",
                assertThrows(CnnException.class, () -> get(xs, 0L, 1L)).getMessage());
    }

    // ------------------------------------------------------------------ tensors, as PyTorch indexes them

    /** "shape values" of a tensor result: its shape as PyTorch prints it and its items flattened. */
    private static String tensor(Object... subs) {
        NDArray r = (NDArray) Indexing.get(rt, x, subs);
        return TensorFormat.shape(r.getShape()) + " "
                + Arrays.stream(r.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()).mapToObj(Long::toString)
                        .collect(Collectors.joining(", ", "[", "]"));
    }

    @Test
    void basicTensorIndexingMatchesPyTorch() {
        assertEquals("(3, 4) [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]", tensor(1L));
        assertEquals("(4,) [12, 13, 14, 15]", tensor(-1L, 0L));
        assertEquals("(2, 2, 4) [4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23]", tensor(slice(null, null, null),
                slice(1L, null, null)));
        assertEquals("(2, 2) [1, 2, 9, 10]", tensor(0L, slice(null, null, 2L), slice(1L, 3L, null)));
        assertEquals("(2, 0, 4) []", tensor(slice(null, null, null), slice(5L, null, null)));
        assertEquals("(0, 3, 4) []", tensor(slice(1L, 0L, null)));
        assertEquals("() [0]", tensor(0L, 0L, 0L));
        assertEquals("(2, 1) [0, 12]", tensor(slice(null, null, null), slice(-100L, 100L, 3L), 0L));
    }

    @Test
    void advancedTensorIndexingMatchesPyTorch() {
        assertEquals("(2, 3) [3, 7, 11, 15, 19, 23]", tensor(Indexing.ELLIPSIS, -1L));
        assertEquals("(2, 3, 4) [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]",
                tensor(list(1L, 0L)));
        assertEquals("(2,) [11, 3]", tensor(0L, list(2L, 0L), -1L));
        assertEquals("(1, 3) [12, 16, 20]", tensor(NoneValue.NONE, 1L, slice(null, null, null), 0L));
        NDArray mask = x.gt(20);
        try {
            assertEquals("(3,) [21, 22, 23]", tensor(mask));
        } finally {
            mask.close();
        }
    }

    @Test
    void tensorIndexErrorsSayWhatPyTorchSays() {
        assertEquals("index 2 is out of range for dimension 0 of size 2 (shape (2, 3, 4))",
                assertThrows(CnnException.class, () -> tensor(2L)).getMessage());
        assertEquals("index 4 is out of range for dimension 1 of size 3 (shape (2, 3, 4))",
                assertThrows(CnnException.class, () -> tensor(0L, 4L)).getMessage());
        assertEquals("too many indices: the tensor has 3 dimensions (shape (2, 3, 4)), got 4 indices",
                assertThrows(CnnException.class, () -> tensor(0L, 0L, 0L, 0L)).getMessage());
        assertEquals("step must be greater than zero: a tensor slice cannot step backwards, as in PyTorch; "
                + "X.flip(d) reverses dimension d",
                assertThrows(CnnException.class, () -> tensor(slice(null, null, -1L))).getMessage());
    }

    /** PyTorch 1.13 takes several '...' in one subscript (NumPy refuses them): values it printed. */
    @Test
    void severalEllipsesAsPyTorch113() {
        assertEquals("(2, 3, 4) [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]",
                tensor(Indexing.ELLIPSIS, Indexing.ELLIPSIS));
        assertEquals("(2, 3) [0, 4, 8, 12, 16, 20]", tensor(Indexing.ELLIPSIS, 0L, Indexing.ELLIPSIS));
        assertEquals("(2, 3) [0, 4, 8, 12, 16, 20]", tensor(Indexing.ELLIPSIS, 0L, Indexing.ELLIPSIS, Indexing.ELLIPSIS));
    }
}

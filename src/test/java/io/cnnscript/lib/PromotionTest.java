package io.cnnscript.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Type promotion alone, against PyTorch 1.13: {@code torch.promote_types} for every pair of the
 * dtypes cnnscript meets, and {@code torch.result_type} for tensors with dimensions, 0-d tensors
 * and plain numbers (the expected values were printed by PyTorch itself). Tensors are only made
 * for their dtype and shape.
 */
class PromotionTest {

    private static final List<DataType> TYPES = List.of(DataType.BOOLEAN, DataType.UINT8, DataType.INT8, DataType.INT16,
            DataType.INT32, DataType.INT64, DataType.FLOAT16, DataType.FLOAT32, DataType.FLOAT64);

    /** torch.promote_types(row, column), as PyTorch 1.13 prints it. */
    private static final String PROMOTE_TYPES = String.join("\n",
            "bool     bool uint8 int8 int16 int32 int64 float16 float32 float64",
            "uint8    uint8 uint8 int16 int16 int32 int64 float16 float32 float64",
            "int8     int8 int16 int8 int16 int32 int64 float16 float32 float64",
            "int16    int16 int16 int16 int16 int32 int64 float16 float32 float64",
            "int32    int32 int32 int32 int32 int32 int64 float16 float32 float64",
            "int64    int64 int64 int64 int64 int64 int64 float16 float32 float64",
            "float16  float16 float16 float16 float16 float16 float16 float16 float32 float64",
            "float32  float32 float32 float32 float32 float32 float32 float32 float32 float64",
            "float64  float64 float64 float64 float64 float64 float64 float64 float64 float64");

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void promoteTypesMatchesPyTorchForEveryPair() {
        StringBuilder table = new StringBuilder();
        for (DataType row : TYPES) {
            if (table.length() > 0) {
                table.append('\n');
            }
            table.append(String.format("%-8s", Dtypes.name(row)));
            for (DataType column : TYPES) {
                table.append(' ').append(Dtypes.name(Promotion.promote(row, column)));
            }
        }
        assertEquals(PROMOTE_TYPES, table.toString());
    }

    /** A tensor of this dtype: with a dimension (shape (2,)) or 0-dimensional. */
    private static NDArray t(DataType type, boolean dimensioned) {
        return manager.zeros(dimensioned ? new Shape(2) : new Shape(), type);
    }

    private static String result(Object a, Object b) {
        return Dtypes.name(Promotion.result(a, b));
    }

    @Test
    void resultTypeMatchesPyTorchAcrossDimensionedZeroDimAndNumbers() {
        // Each line: the operands, then what torch.result_type gives for them.
        DataType i8 = DataType.INT8;
        DataType i32 = DataType.INT32;
        DataType i64 = DataType.INT64;
        DataType u8 = DataType.UINT8;
        DataType f16 = DataType.FLOAT16;
        DataType f32 = DataType.FLOAT32;
        DataType f64 = DataType.FLOAT64;
        DataType b = DataType.BOOLEAN;
        assertEquals("int32", result(t(i32, true), 1L));
        assertEquals("int32", result(t(i32, false), 1L));
        assertEquals("float32", result(t(i64, true), 1.5));
        assertEquals("float64", result(t(i64, true), t(f64, false)));
        assertEquals("float32", result(t(f32, true), t(f64, false)));
        assertEquals("uint8", result(t(u8, true), t(i8, false)));
        assertEquals("int64", result(t(b, true), 1L));
        assertEquals("bool", result(t(b, true), true));
        assertEquals("float16", result(t(i32, true), t(f16, false)));
        assertEquals("float16", result(t(f16, true), 1.5));
        assertEquals("int64", result(t(i32, false), t(i64, false)));
        assertEquals("int8", result(t(b, false), t(i8, true)));
        assertEquals("float64", result(t(f64, false), 1L));
        assertEquals("float64", result(t(b, true), t(f64, false)));
        assertEquals("int64", result(1L, t(b, true)));
        assertEquals("int32", result(true, t(i32, true)));
        assertEquals("float32", result(2.5, t(b, false)));
        assertEquals("int8", result(t(i8, true), t(i32, false)));
        assertEquals("float32", result(t(i8, false), 1.5));
    }

    @Test
    void uint8WithInt8IsRefusedInWordsSinceItsInt16WouldAbortTheEngine() {
        // torch.result_type gives int16 here (see the table); libtorch through DJL aborts the JVM
        // on an int16 tensor, so the operation is refused before any tensor is made.
        for (Object[] pair : List.of(new Object[] {t(DataType.UINT8, true), t(DataType.INT8, true)},
                new Object[] {t(DataType.INT8, false), t(DataType.UINT8, false)})) {
            CnnException e = assertThrows(CnnException.class, () -> Promotion.result(pair[0], pair[1]));
            assertEquals("uint8 with int8 gives int16 in PyTorch, a dtype cnnscript's tensors do not have; "
                    + "convert one side first with .int() (int32) or .long() (int64)", e.getMessage());
        }
    }

    @Test
    void uint8AndInt8AreComparedExactlyInInt32() {
        assertEquals("int32", Dtypes.name(Promotion.comparison(t(DataType.UINT8, true), t(DataType.INT8, true))));
        assertEquals("float32", Dtypes.name(Promotion.comparison(t(DataType.UINT8, true), 0.5)));
        assertEquals("uint8", Dtypes.name(Promotion.comparison(t(DataType.UINT8, true), t(DataType.INT8, false))));
    }

    @Test
    void resultTypeIsSymmetric() {
        List<Object> operands = List.of(1L, 2.5, true, t(DataType.INT32, true), t(DataType.UINT8, false),
                t(DataType.FLOAT64, false), t(DataType.FLOAT16, true), t(DataType.BOOLEAN, true));
        for (Object a : operands) {
            for (Object b : operands) {
                assertEquals(result(a, b), result(b, a), a + " with " + b);
            }
        }
    }
}

package io.cnnscript.lib;

import ai.djl.ndarray.types.DataType;
import io.cnnscript.error.CnnException;

/** Data type names as a user writes them ("float32", "int64", ...). */
public final class Dtypes {

    private Dtypes() {}

    public static String name(DataType t) {
        return switch (t) {
            case FLOAT32 -> "float32";
            case FLOAT64 -> "float64";
            case FLOAT16 -> "float16";
            case INT64 -> "int64";
            case INT32 -> "int32";
            case INT8 -> "int8";
            case UINT8 -> "uint8";
            case BOOLEAN -> "bool";
            default -> t.toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    public static DataType of(String name) {
        return switch (name) {
            case "float32", "float" -> DataType.FLOAT32;
            case "float64", "double" -> DataType.FLOAT64;
            case "float16", "half" -> DataType.FLOAT16;
            case "int64", "long", "int" -> DataType.INT64;
            case "int32" -> DataType.INT32;
            case "int8" -> DataType.INT8;
            case "uint8" -> DataType.UINT8;
            case "bool" -> DataType.BOOLEAN;
            default -> throw new CnnException("unknown dtype '" + name
                    + "'; use float32, float64, int64, int32, int8, uint8 or bool");
        };
    }
}

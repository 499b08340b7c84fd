package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import io.cnnscript.error.CnnException;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.value.Ints;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code item in container}, as Python 3 and PyTorch 1.13 answer it: a list or tuple holds an
 * item equal to it ({@code 1 in [1.0]}, {@code 1 in [true]}), a string a substring, a range an
 * int (by arithmetic, not by walking it), and a tensor an element equal to it
 * ({@code Tensor.__contains__}: {@code (item == self).any().item()}).
 */
final class Membership {

    private Membership() {}

    static boolean contains(Runtime rt, Object container, Object item) {
        if (container instanceof PyList l) {
            return anyEqual(rt, l.items(), item);
        }
        if (container instanceof Tuple t) {
            return anyEqual(rt, t.asList(), item);
        }
        if (container instanceof String s) {
            if (!(item instanceof String sub)) {
                throw new CnnException("'in <string>' needs a string on the left, not " + Values.typeName(item));
            }
            return s.contains(sub);
        }
        if (container instanceof RangeValue r) {
            return inRange(rt, r, item);
        }
        if (container instanceof NDArray t) {
            if (!(item instanceof NDArray) && !Values.isNumber(item)) {
                // PyTorch: RuntimeError, "... but you passed in a <class 'str'>."
                throw new CnnException("Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
                        + Values.typeName(item) + ".");
            }
            NDArray equal = (NDArray) Operators.binary(rt, BinaryOp.EQ, item, t);
            return equal.any().getBoolean();
        }
        throw new CnnException("argument of type '" + Values.typeName(container) + "' is not iterable");
    }

    /** Python's list and tuple test: an item that is the same value or equal to it. */
    private static boolean anyEqual(Runtime rt, List<Object> items, Object item) {
        for (Object e : items) {
            if (e == item) {
                return true;
            }
            if (e instanceof NDArray || item instanceof NDArray) {
                // A tensor compares element-wise; its truth is that of one element, or ambiguous.
                if (Values.truthy(Operators.binary(rt, BinaryOp.EQ, e, item))) {
                    return true;
                }
            } else if (Values.equal(e, item)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An int (or a bool, or a float with an int's value) is in a range by arithmetic, as Python's
     * range answers it at once; anything else equals none of its ints, save a one-element tensor,
     * which is tested by its value, and a tensor of more, whose truth is ambiguous (Python's walk
     * raises at the first int).
     */
    private static boolean inRange(Runtime rt, RangeValue r, Object item) {
        if (item instanceof NDArray t) {
            if (r.bigLength().signum() == 0) {
                return false;
            }
            if (t.size() != 1) {
                return Values.truthy(t); // the ambiguity error, as Python's first comparison raises it
            }
            item = Conversions.item(t);
        }
        if (item instanceof Boolean b) {
            item = b ? 1L : 0L;
        }
        if (item instanceof Double d) {
            if (Double.isNaN(d) || Double.isInfinite(d) || d != Math.floor(d)) {
                return false;
            }
            item = Ints.of(new BigDecimal(d).toBigIntegerExact());
        }
        if (!Ints.isInt(item)) {
            return false;
        }
        return r.contains(Ints.big(item));
    }
}

package io.cnnscript.lib;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.value.Ints;
import io.cnnscript.value.PyFormat;
import io.cnnscript.value.PyList;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary operators on every kind of value. Numbers follow Python (int / int gives a float);
 * tensors follow PyTorch's broadcasting and type promotion, including that a Python float with
 * an int tensor gives float32.
 */
public final class Operators {

    private Operators() {}

    public static Object binary(Runtime rt, BinaryOp op, Object a, Object b) {
        if (op.isMembership()) {
            return Membership.contains(rt, b, a) == (op == BinaryOp.IN);
        }
        if (op.isIdentity()) {
            return same(a, b) == (op == BinaryOp.IS);
        }
        if (a instanceof Long x && b instanceof Long y) {
            return longs(op, x, y);
        }
        if (op == BinaryOp.MOD && a instanceof String s) {
            return PyFormat.format(s, b); // "%s" % X and "%.3f" % loss format a tensor, as Python does
        }
        if (a instanceof NDArray || b instanceof NDArray) {
            return tensors(rt, op, a, b);
        }
        if (isNumber(a) && isNumber(b)) {
            return numbers(op, a, b);
        }
        switch (op) {
            case EQ:
                return Values.equal(a, b);
            case NE:
                return !Values.equal(a, b);
            case COMPOSE:
                Object composed = rt.compose(a, b); // layers: nn's Sequential, wired into the engine's library
                if (composed != null) {
                    return composed;
                }
                break;
            default:
                break;
        }
        if (op == BinaryOp.MUL && (b instanceof String || b instanceof PyList || b instanceof Tuple)
                && (Ints.isInt(a) || a instanceof Boolean)) {
            // Python repeats either way round: 3 * 'ab' is 'ab' * 3
            Object n = a;
            a = b;
            b = n;
        }
        if (op == BinaryOp.MUL && b instanceof Boolean t && (a instanceof String || a instanceof PyList || a instanceof Tuple)) {
            b = t ? 1L : 0L; // a bool counts as an int: 'ab' * true is 'ab'
        }
        if (a instanceof String s) {
            if (op == BinaryOp.ADD && b instanceof String t) {
                Values.checkSize((long) s.length() + t.length(), "the string");
                return s + t;
            }
            if (op == BinaryOp.MOD) {
                return PyFormat.format(s, b);
            }
            if (op == BinaryOp.MUL && b instanceof BigInteger n) {
                checkRepeat(n.signum() <= 0 || s.isEmpty() ? 0 : Long.MAX_VALUE);
                return "";
            }
            if (op == BinaryOp.MUL && b instanceof Long n) {
                checkRepeat(Math.multiplyHigh(s.length(), Math.max(0, n)) != 0 ? Long.MAX_VALUE
                        : (long) s.length() * Math.max(0, n));
                return s.repeat((int) Math.max(0, n));
            }
            if (b instanceof String t && op.isComparison()) {
                return compare(op, compareCodePoints(s, t));
            }
        }
        if (op == BinaryOp.ADD && a instanceof Tuple x && b instanceof Tuple y) {
            Values.checkSize((long) x.size() + y.size(), "the tuple");
            List<Object> all = new ArrayList<>(x.asList());
            all.addAll(y.asList());
            return new Tuple(all.toArray());
        }
        if (op == BinaryOp.ADD && a instanceof PyList x && b instanceof PyList y) {
            Values.checkSize((long) x.size() + y.size(), "the list");
            PyList out = new PyList(x.items());
            out.items().addAll(y.items());
            return out;
        }
        if ((a instanceof PyList && b instanceof PyList || a instanceof Tuple && b instanceof Tuple)
                && (op == BinaryOp.LT || op == BinaryOp.LE || op == BinaryOp.GT || op == BinaryOp.GE)) {
            return orderSequences(rt, op, Conversions.sequence(a, ""), Conversions.sequence(b, ""));
        }
        if (op == BinaryOp.MUL && (a instanceof PyList || a instanceof Tuple) && Ints.isInt(b)) {
            List<Object> items = Conversions.sequence(a, "");
            long n = b instanceof Long l ? l : ((BigInteger) b).signum() < 0 ? 0 : Long.MAX_VALUE;
            checkRepeat(items.isEmpty() ? 0 : Math.multiplyHigh(items.size(), Math.max(0, n)) != 0 ? Long.MAX_VALUE
                    : (long) items.size() * Math.max(0, n));
            List<Object> all = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                all.addAll(items);
            }
            return a instanceof Tuple ? new Tuple(all.toArray()) : new PyList(all);
        }
        throw unsupported(op, a, b);
    }

    /**
     * {@code < <= > >=} on two lists or two tuples, as Python orders them: by the first items that
     * differ (compared with the operator), else by length. {@code sorted}, {@code min} and
     * {@code max} of pairs follow.
     */
    private static Object orderSequences(Runtime rt, BinaryOp op, List<Object> x, List<Object> y) {
        int n = Math.min(x.size(), y.size());
        for (int i = 0; i < n; i++) {
            Object p = x.get(i);
            Object q = y.get(i);
            boolean same = p == q || (p instanceof NDArray || q instanceof NDArray
                    ? Values.truthy(binary(rt, BinaryOp.EQ, p, q)) : Values.equal(p, q));
            if (!same) {
                return binary(rt, op, p, q);
            }
        }
        return compare(op, Integer.compare(x.size(), y.size()));
    }

    /** Strings order by their characters' code points, as Python's do (Java's compareTo uses UTF-16 units). */
    static int compareCodePoints(String s, String t) {
        int i = 0;
        int j = 0;
        while (i < s.length() && j < t.length()) {
            int c = s.codePointAt(i);
            int d = t.codePointAt(j);
            if (c != d) {
                return Integer.compare(c, d);
            }
            i += Character.charCount(c);
            j += Character.charCount(d);
        }
        return Boolean.compare(i < s.length(), j < t.length());
    }

    /**
     * {@code xs += items} and {@code xs *= n} on a list change that list, as Python's do, so every
     * name for it sees the change ({@code b = a; a += [2]} changes b too); {@code +=} takes the
     * items of anything iterable ({@code xs += range(3)}, {@code xs += "ab"}). Gives false, changing
     * nothing, for any other operator or operand: the caller computes {@code xs op rhs} then.
     */
    public static boolean listInPlace(Runtime rt, BinaryOp op, PyList l, Object rhs) {
        if (op == BinaryOp.ADD) {
            List<Object> items = new ArrayList<>(Builtins.iterable(rt, rhs, "'+=' on a list: the right side"));
            Values.checkSize((long) l.size() + items.size(), "the list");
            for (Object item : items) {
                rt.keep(item);
                l.add(item);
            }
            return true;
        }
        if (op == BinaryOp.MUL && (Ints.isInt(rhs) || rhs instanceof Boolean)) {
            long n = rhs instanceof Boolean t ? (t ? 1 : 0) : rhs instanceof Long k ? k
                    : ((BigInteger) rhs).signum() < 0 ? 0 : Long.MAX_VALUE;
            List<Object> items = new ArrayList<>(l.items());
            checkRepeat(items.isEmpty() ? 0 : Math.multiplyHigh(items.size(), Math.max(0, n)) != 0 ? Long.MAX_VALUE
                    : (long) items.size() * Math.max(0, n));
            l.items().clear();
            for (long i = 0; i < n; i++) {
                l.items().addAll(items);
            }
            return true;
        }
        return false;
    }

    /**
     * {@code a is b}: none, true and false are one value each, as in Python; numbers and strings
     * (which cannot change) are the same when they have the same type and value; lists, tuples,
     * tensors, layers and functions are the same only when they are one object.
     */
    private static boolean same(Object a, Object b) {
        if (a == b) {
            return true;
        }
        boolean noneA = a == null || a == io.cnnscript.value.NoneValue.NONE;
        boolean noneB = b == null || b == io.cnnscript.value.NoneValue.NONE;
        if (noneA || noneB) {
            return noneA && noneB;
        }
        if (a instanceof Boolean || a instanceof String || a instanceof Double || Ints.isInt(a)) {
            return Values.typeName(a).equals(Values.typeName(b)) && a.equals(b);
        }
        return false;
    }

    /** Longest string or list that repetition may build. */
    static final long MAX_REPEAT = Values.MAX_ITEMS;

    static void checkRepeat(long size) {
        if (size > MAX_REPEAT || size < 0) {
            throw new CnnException("repeating would make " + (size == Long.MAX_VALUE ? "too many" : String.valueOf(size))
                    + " items; the limit is " + MAX_REPEAT);
        }
    }

    static CnnException unsupported(BinaryOp op, Object a, Object b) {
        return new CnnException("cannot apply '" + op.symbol + "' to " + Values.typeName(a) + " and "
                + Values.typeName(b));
    }

    private static boolean isNumber(Object v) {
        return Values.isNumber(v);
    }

    /** Two numbers, at least one of them not a Long: bools count as ints, as in Python. */
    private static Object numbers(BinaryOp op, Object a, Object b) {
        Object x = a instanceof Boolean t ? (Object) (t ? 1L : 0L) : a;
        Object y = b instanceof Boolean t ? (Object) (t ? 1L : 0L) : b;
        if (x instanceof Long p && y instanceof Long q) {
            return longs(op, p, q);
        }
        if (Ints.isInt(x) && Ints.isInt(y)) {
            return bigs(op, Ints.big(x), Ints.big(y));
        }
        if (op.isComparison() && !(x instanceof Double && y instanceof Double)) {
            // An int meets a float: compared exactly, as Python does (2**53 + 1 > 2.0**53).
            boolean intLeft = Ints.isInt(x);
            double d = intLeft ? (Double) y : (Double) x;
            if (Double.isNaN(d)) {
                return op == BinaryOp.NE;
            }
            int c = intLeft ? Ints.compare(x, d) : -Ints.compare(y, d);
            return compare(op, c);
        }
        double dx = x instanceof Double d ? d : Ints.toDouble(x);
        double dy = y instanceof Double d ? d : Ints.toDouble(y);
        return doubles(op, dx, dy, a, b);
    }

    private static Object longs(BinaryOp op, long x, long y) {
        switch (op) {
            case ADD: {
                long r = x + y;
                return ((x ^ r) & (y ^ r)) < 0 ? Ints.of(Ints.big(x).add(Ints.big(y))) : (Object) r;
            }
            case SUB: {
                long r = x - y;
                return ((x ^ y) & (x ^ r)) < 0 ? Ints.of(Ints.big(x).subtract(Ints.big(y))) : (Object) r;
            }
            case MUL: {
                long hi = Math.multiplyHigh(x, y);
                long lo = x * y;
                return (hi == 0 && lo >= 0) || (hi == -1 && lo < 0) ? (Object) lo
                        : Ints.of(Ints.big(x).multiply(Ints.big(y)));
            }
            case DIV:
                if (y == 0) {
                    throw new CnnException("division by zero");
                }
                return Ints.trueDivide(x, y);
            case MOD:
                if (y == 0) {
                    throw new CnnException("modulo by zero");
                }
                return Math.floorMod(x, y);
            case FLOORDIV:
                if (y == 0) {
                    throw new CnnException("floor division by zero");
                }
                if (x == Long.MIN_VALUE && y == -1) {
                    return Ints.of(Ints.big(x).negate());
                }
                return Math.floorDiv(x, y);
            case POW:
                if (y >= 0) {
                    return powLong(x, y);
                }
                return negativePower(x, BigInteger.valueOf(y));
            case EQ:
                return x == y;
            case NE:
                return x != y;
            case LT:
                return x < y;
            case LE:
                return x <= y;
            case GT:
                return x > y;
            case GE:
                return x >= y;
            default:
                throw unsupported(op, x, y);
        }
    }

    /** Ints beyond 64 bits. */
    private static Object bigs(BinaryOp op, BigInteger x, BigInteger y) {
        switch (op) {
            case ADD:
                return Ints.of(x.add(y));
            case SUB:
                return Ints.of(x.subtract(y));
            case MUL:
                // The product has at least this many bits: refuse before computing it.
                Ints.checkBits((long) x.bitLength() + y.bitLength() - 1);
                return Ints.of(x.multiply(y));
            case DIV:
                if (y.signum() == 0) {
                    throw new CnnException("division by zero");
                }
                return Ints.trueDivide(x, y);
            case MOD: {
                if (y.signum() == 0) {
                    throw new CnnException("modulo by zero");
                }
                BigInteger r = x.remainder(y);
                return Ints.of(r.signum() != 0 && r.signum() != y.signum() ? r.add(y) : r);
            }
            case FLOORDIV: {
                if (y.signum() == 0) {
                    throw new CnnException("floor division by zero");
                }
                BigInteger[] qr = x.divideAndRemainder(y);
                return Ints.of(qr[1].signum() != 0 && qr[1].signum() != y.signum() ? qr[0].subtract(BigInteger.ONE)
                        : qr[0]);
            }
            case POW:
                return y.signum() >= 0 ? powBig(x, y) : negativePower(x, y);
            case EQ:
                return x.equals(y);
            case NE:
                return !x.equals(y);
            default:
                if (op.isComparison()) {
                    return compare(op, x.compareTo(y));
                }
                throw unsupported(op, x, y);
        }
    }

    /** x ** y for y >= 0: on longs while the result fits, else exactly with a size check first. */
    private static Object powLong(long x, long y) {
        long result = 1;
        long base = x;
        long e = y;
        while (true) {
            if ((e & 1) != 0) {
                long hi = Math.multiplyHigh(result, base);
                long lo = result * base;
                if (!((hi == 0 && lo >= 0) || (hi == -1 && lo < 0))) {
                    return powBig(Ints.big(x), BigInteger.valueOf(y));
                }
                result = lo;
            }
            e >>= 1;
            if (e == 0) {
                return result;
            }
            long hi = Math.multiplyHigh(base, base);
            long lo = base * base;
            if (!((hi == 0 && lo >= 0) || (hi == -1 && lo < 0))) {
                return powBig(Ints.big(x), BigInteger.valueOf(y));
            }
            base = lo;
        }
    }

    private static Object powBig(BigInteger x, BigInteger y) {
        if (x.signum() == 0) {
            return y.signum() == 0 ? 1L : 0L;
        }
        if (x.abs().equals(BigInteger.ONE)) {
            return x.signum() > 0 || !y.testBit(0) ? 1L : -1L;
        }
        // |x| >= 2, so the result has at least (bits(x) - 1) * y + 1 bits: refuse before computing.
        if (y.compareTo(BigInteger.valueOf(Ints.MAX_BITS)) > 0) {
            throw Ints.tooLarge(Long.MAX_VALUE);
        }
        Ints.checkBits((x.bitLength() - 1) * y.longValue() + 1);
        return Ints.of(x.pow(y.intValue()));
    }

    /** x ** y for a negative int y: Python's float(x) ** y. */
    private static Object negativePower(Object x, BigInteger y) {
        BigInteger b = Ints.big(x);
        if (b.signum() == 0) {
            throw new CnnException("0.0 cannot be raised to a negative power");
        }
        if (b.bitLength() > 53) {
            return Math.pow(Ints.toDouble(x), y.doubleValue());
        }
        // The base is exact as a double: 1 / x**n rounded once is what C's pow gives.
        boolean negative = b.signum() < 0 && y.testBit(0);
        BigInteger n = y.negate();
        b = b.abs();
        if (b.equals(BigInteger.ONE)) {
            return negative ? -1.0 : 1.0;
        }
        if (n.compareTo(BigInteger.valueOf(1100)) > 0 || (b.bitLength() - 1) * n.longValue() > 1100) {
            return negative ? -0.0 : 0.0; // below half the smallest double
        }
        double d = Ints.trueDivide(1L, Ints.of(b.pow(n.intValue())));
        return negative ? -d : d;
    }

    private static Object doubles(BinaryOp op, double x, double y, Object a, Object b) {
        switch (op) {
            case ADD:
                return x + y;
            case SUB:
                return x - y;
            case MUL:
                return x * y;
            case DIV:
                if (y == 0) {
                    throw new CnnException("division by zero");
                }
                return x / y;
            case MOD:
                if (y == 0) {
                    throw new CnnException("modulo by zero");
                }
                return pythonMod(x, y);
            case FLOORDIV:
                if (y == 0) {
                    throw new CnnException("floor division by zero");
                }
                return Division.floorDivide(x, y); // Python's float // is c10's formula too
            case POW:
                return pythonPow(x, y);
            case EQ:
                return x == y;
            case NE:
                return x != y;
            case LT:
                return x < y;
            case LE:
                return x <= y;
            case GT:
                return x > y;
            case GE:
                return x >= y;
            default:
                throw unsupported(op, a, b);
        }
    }

    /** Python's float %: the result has the divisor's sign (fmod, then one correction). */
    static double pythonMod(double x, double y) {
        double mod = x % y;
        if (mod != 0) {
            if ((y < 0) != (mod < 0)) {
                mod += y;
            }
        } else {
            mod = Math.copySign(0.0, y);
        }
        return mod;
    }

    /** Python's float **: errors where Python raises instead of an inf or nan. */
    static double pythonPow(double x, double y) {
        if (x == 0 && y < 0) {
            throw new CnnException("0.0 cannot be raised to a negative power");
        }
        if (x < 0 && !Double.isInfinite(x) && !Double.isInfinite(y) && !Double.isNaN(y) && y != Math.floor(y)) {
            throw new CnnException("a negative number cannot be raised to a fractional power (Python would give a "
                    + "complex number; cnnscript has none)");
        }
        double r = Math.pow(x, y);
        if (Double.isInfinite(r) && !Double.isInfinite(x) && !Double.isInfinite(y)) {
            throw new CnnException("'**' result too large for a float (Numerical result out of range)");
        }
        return r;
    }

    private static boolean compare(BinaryOp op, int c) {
        switch (op) {
            case EQ:
                return c == 0;
            case NE:
                return c != 0;
            case LT:
                return c < 0;
            case LE:
                return c <= 0;
            case GT:
                return c > 0;
            default:
                return c >= 0;
        }
    }

    /**
     * A scalar in the form DJL should combine with a tensor of the given type so that the result
     * type is PyTorch's: a Python float keeps float32 tensors float32.
     */
    static Number scalarFor(NDArray t, Object v) {
        if (v instanceof BigInteger) {
            throw Ints.overflowInTensor(v);
        }
        if (v instanceof Long n) {
            return n;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        double d = (Double) v;
        return t.getDataType() == DataType.FLOAT64 ? (Number) d : (Number) (float) d;
    }

    private static Object tensors(Runtime rt, BinaryOp op, Object a, Object b) {
        if (op == BinaryOp.COMPOSE) {
            throw unsupported(op, a, b);
        }
        if (a instanceof BigInteger || b instanceof BigInteger) {
            throw Ints.overflowInTensor(a instanceof BigInteger ? a : b);
        }
        if ((a instanceof NDArray || isNumber(a)) && (b instanceof NDArray || isNumber(b))
                && Division.handles(op, a, b)) {
            // // on tensors, % on int tensors: computed in Java (no floor division in DJL, and
            // libtorch's integer kernels trap on the minimum divided by -1).
            Object r = Division.compute(rt, op, a, b);
            if (op == BinaryOp.FLOORDIV && r instanceof NDArray t && t.getDataType().isFloating()
                    && NotDifferentiable.recordsGradient(a, b)) {
                // PyTorch 1.13 computes w // 2 but cannot differentiate it.
                return NotDifferentiable.mark(rt, t, "derivative for aten::floor_divide is not implemented");
            }
            return r;
        }
        if (!(a instanceof NDArray || isNumber(a)) || !(b instanceof NDArray || isNumber(b))) {
            throw unsupported(op, a, b);
        }
        if (op == BinaryOp.MATMUL) {
            if (a instanceof NDArray x && b instanceof NDArray y) {
                checkResult(rt, op, x.getShape(), y.getShape(), Math.max(x.getDataType().getNumOfBytes(),
                        y.getDataType().getNumOfBytes()));
                return tensorTensor(op, x, y);
            }
            throw unsupported(op, a, b);
        }
        if (op == BinaryOp.SUB && (isBool(a) || isBool(b))) {
            throw new CnnException(isBool(a) && isBool(b)
                    ? "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                            + "`logical_xor()` operator instead."
                    : "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to "
                            + "invert a mask, use the `~` or `logical_not()` operator instead.");
        }
        if (op == BinaryOp.POW && a instanceof NDArray x && !x.getDataType().isFloating() && b instanceof Long k && k < 0) {
            throw new CnnException("an int tensor cannot be raised to a negative int power (" + k
                    + "), as in PyTorch: Integers to negative integer powers are not allowed; use X.float() ** " + k);
        }
        // Both operands in PyTorch's result dtype (true division of ints in float32), so that
        // libtorch computes in the dtype PyTorch would: a 0-d int32 plus an int stays int32,
        // ints divided by a 0-d float64 give float64, true + a bool tensor stays bool.
        DataType type = op.isComparison() ? Promotion.comparison(a, b) : Promotion.result(a, b);
        if (op == BinaryOp.DIV && !type.isFloating()) {
            type = DataType.FLOAT32;
        }
        NDArray x = operand(rt, a, type);
        NDArray y = operand(rt, b, type);
        checkResult(rt, op, x.getShape(), y.getShape(), type.getNumOfBytes());
        return tensorTensor(op, x, y);
    }

    private static boolean isBool(Object v) {
        return v instanceof Boolean || v instanceof NDArray t && t.getDataType() == DataType.BOOLEAN;
    }

    /** An operand as a tensor of the given dtype: a tensor converted if need be, a number made a 0-d tensor. */
    private static NDArray operand(Runtime rt, Object v, DataType type) {
        if (v instanceof NDArray t) {
            return t.getDataType() == type ? t : Promotion.cast(t, type);
        }
        return Promotion.scalarTensor(rt, v, type);
    }

    private static NDArray tensorTensor(BinaryOp op, NDArray x, NDArray y) {
        try {
            switch (op) {
                case ADD:
                    return x.add(y);
                case SUB:
                    return x.sub(y);
                case MUL:
                    return x.mul(y);
                case DIV:
                    return x.div(y);
                case MOD:
                    return x.mod(y);
                case POW:
                    return x.pow(y);
                case MATMUL:
                    return matmul(x, y);
                case EQ:
                    return x.eq(y);
                case NE:
                    return x.neq(y);
                case LT:
                    return x.lt(y);
                case LE:
                    return x.lte(y);
                case GT:
                    return x.gt(y);
                case GE:
                    return x.gte(y);
                default:
                    throw unsupported(op, x, y);
            }
        } catch (ai.djl.engine.EngineException | IllegalArgumentException e) {
            throw new CnnException("shapes " + TensorFormat.shape(x.getShape()) + " and "
                    + TensorFormat.shape(y.getShape()) + " do not fit for '" + op.symbol + "': " + Errors.firstLine(e));
        }
    }

    /**
     * Refuses a binary operation whose result (broadcast, or a matrix product) would be too big,
     * before libtorch allocates it. Shapes that do not fit are left to the operation's own error.
     */
    static void checkResult(Runtime rt, BinaryOp op, Shape x, Shape y, int bytes) {
        double n = resultElements(op, x.getShape(), y.getShape());
        if (n > 1 << 16) {
            rt.checkNew("the result of '" + op.symbol + "' on shapes " + TensorFormat.shape(x) + " and "
                    + TensorFormat.shape(y), n, bytes);
        }
    }

    /** Elements of the result of x op y (a double: no overflow), or 0 when the shapes do not fit. */
    static double resultElements(BinaryOp op, long[] x, long[] y) {
        if (op == BinaryOp.MATMUL) {
            if (x.length == 0 || y.length == 0) {
                return 0;
            }
            long rows = x.length >= 2 ? x[x.length - 2] : 1;
            long cols = y.length >= 2 ? y[y.length - 1] : 1;
            double batch = broadcastElements(java.util.Arrays.copyOf(x, Math.max(0, x.length - 2)),
                    java.util.Arrays.copyOf(y, Math.max(0, y.length - 2)));
            return batch * rows * cols;
        }
        return broadcastElements(x, y);
    }

    private static double broadcastElements(long[] x, long[] y) {
        double n = 1;
        for (int i = 1; i <= Math.max(x.length, y.length); i++) {
            long a = i <= x.length ? x[x.length - i] : 1;
            long b = i <= y.length ? y[y.length - i] : 1;
            if (a != b && a != 1 && b != 1) {
                return 0;
            }
            n *= a == 1 ? b : a;
        }
        return n;
    }

    public static NDArray matmul(NDArray x, NDArray y) {
        if (x.getShape().dimension() == 0 || y.getShape().dimension() == 0) {
            throw new CnnException("'@' needs tensors with at least one dimension, got shapes "
                    + TensorFormat.shape(x.getShape()) + " and " + TensorFormat.shape(y.getShape()));
        }
        long inner = x.getShape().get(x.getShape().dimension() - 1);
        long other = y.getShape().dimension() == 1 ? y.getShape().get(0) : y.getShape().get(y.getShape().dimension() - 2);
        if (inner != other) {
            throw new CnnException("'@' cannot multiply shapes " + TensorFormat.shape(x.getShape()) + " and "
                    + TensorFormat.shape(y.getShape()) + ": " + inner + " columns against " + other + " rows");
        }
        return x.matMul(y);
    }

    /** Unary minus. */
    public static Object negate(Runtime rt, Object v) {
        if (v instanceof Long n) {
            return n == Long.MIN_VALUE ? Ints.of(Ints.big(n).negate()) : (Object) (-n);
        }
        if (v instanceof BigInteger n) {
            return Ints.of(n.negate());
        }
        if (v instanceof Double d) {
            return -d;
        }
        if (v instanceof Boolean b) {
            return b ? -1L : 0L;
        }
        if (v instanceof NDArray a) {
            if (a.getDataType() == DataType.BOOLEAN) {
                throw new CnnException("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                        + "trying to invert a mask, use the `~` or `logical_not()` operator instead.");
            }
            return a.neg();
        }
        throw new CnnException("cannot negate " + Values.typeName(v));
    }
}

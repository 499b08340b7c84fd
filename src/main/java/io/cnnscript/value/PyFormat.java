package io.cnnscript.value;

import ai.djl.ndarray.NDArray;
import io.cnnscript.error.CnnException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** Python's number text and its printf-style {@code "%.3f" % x} formatting. */
public final class PyFormat {

    private PyFormat() {}

    /** Python's repr of a float: shortest round-trip digits, e-notation below 1e-4 and from 1e16. */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = shortestDigits(Math.abs(d));
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        String plain = exact.toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }

    /**
     * The shortest decimal that reads back as the positive finite {@code d}, and of those the
     * nearest to it, as Python's repr chooses (David Gay's shortest mode). Java 17's
     * Double.toString sometimes gives a digit more ({@code 2.0E-3} is fine, {@code 4.9E-324} is
     * not), so the digits are searched: for each length, the two decimals of that length around
     * d's exact value are tried. Trailing zeros are stripped.
     */
    static BigDecimal shortestDigits(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p <= 17; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean downFits = down.doubleValue() == d;
            boolean upFits = up.doubleValue() == d;
            if (downFits && upFits) {
                int c = exact.subtract(down).compareTo(up.subtract(exact));
                BigDecimal pick = c < 0 ? down : c > 0 ? up
                        : (down.unscaledValue().testBit(0) ? up : down);
                return pick.stripTrailingZeros();
            }
            if (downFits) {
                return down.stripTrailingZeros();
            }
            if (upFits) {
                return up.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** Applies a format string to one value or a tuple of values, as Python's % operator does. */
    public static String format(String fmt, Object args) {
        List<Object> values = args instanceof Tuple t ? t.asList() : List.of(args);
        StringBuilder out = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int start = i;
            while (i < fmt.length() && "-+ #0".indexOf(fmt.charAt(i)) >= 0) {
                i++;
            }
            while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                i++;
            }
            if (i < fmt.length() && fmt.charAt(i) == '.') {
                i++;
                while (i < fmt.length() && Character.isDigit(fmt.charAt(i))) {
                    i++;
                }
            }
            if (i >= fmt.length()) {
                throw new CnnException("incomplete format: '%" + fmt.substring(start) + "' has no conversion letter");
            }
            char conv = fmt.charAt(i++);
            String spec = fmt.substring(start, i - 1);
            for (String number : spec.replaceAll("[-+ #]", " ").trim().split("[ .]+")) {
                if (!number.isEmpty() && (number.length() > 9 || Long.parseLong(number) > Values.MAX_ITEMS)) {
                    throw new CnnException("format field '%" + spec + conv + "' is too wide; the limit is "
                            + String.format(Locale.ROOT, "%,d", Values.MAX_ITEMS) + " characters");
                }
            }
            if (conv == '%') {
                out.append('%');
                continue;
            }
            if (next >= values.size()) {
                throw new CnnException("not enough values for the format string: it has more % fields than the "
                        + values.size() + " given");
            }
            out.append(one(spec, conv, values.get(next++)));
            Values.checkSize(out.length(), "the formatted string");
        }
        if (next < values.size()) {
            throw new CnnException("too many values for the format string: it takes " + next + ", got " + values.size());
        }
        return out.toString();
    }

    /**
     * One % field. Widths and precisions count characters as Python does (code points: an emoji
     * is one), and the flags mean what they mean in Python: '-' pads on the right, '0' with
     * zeros after the sign and prefix (numbers only), '+' and ' ' give positive numbers a sign,
     * '#' gives hex and octal their 0x and 0o.
     */
    private static String one(String spec, char conv, Object v) {
        Spec sp = Spec.parse(spec);
        switch (conv) {
            case 's':
                return sp.text(Values.str(v));
            case 'r':
                return sp.text(Values.repr(v));
            case 'a':
                return sp.text(ascii(Values.repr(v)));
            case 'c':
                return new Spec(sp.flags, sp.width, -1).text(character(v)); // Python ignores a precision here
            case 'd':
            case 'i':
            case 'u':
            case 'x':
            case 'X':
            case 'o': {
                java.math.BigInteger n = integer(v, conv);
                String digits = n.abs().toString(conv == 'x' || conv == 'X' ? 16 : conv == 'o' ? 8 : 10);
                if (conv == 'X') {
                    digits = digits.toUpperCase(Locale.ROOT);
                }
                if (sp.precision > digits.length()) {
                    digits = "0".repeat(sp.precision - digits.length()) + digits;
                }
                String prefix = !sp.has('#') || conv == 'd' || conv == 'i' || conv == 'u' ? "" : conv == 'o' ? "0o" : "0" + conv;
                return sp.number(n.signum() < 0, prefix, digits);
            }
            case 'f':
            case 'F':
            case 'e':
            case 'E':
            case 'g':
            case 'G': {
                double d = number(v, conv);
                boolean negative = d < 0 || (d == 0 && 1 / d < 0); // -0.0 shows its sign, as in Python
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    String body = Double.isNaN(d) ? "nan" : "inf";
                    return sp.number(negative, "", Character.isUpperCase(conv) ? body.toUpperCase(Locale.ROOT) : body);
                }
                if (conv == 'g' || conv == 'G') {
                    return sp.number(negative, "", pythonG(Math.abs(d), sp, conv == 'G'));
                }
                int precision = sp.precision >= 0 ? sp.precision : 6;
                String body = conv == 'f' || conv == 'F' ? fixed(Math.abs(d), precision, sp.has('#'))
                        : scientific(Math.abs(d), precision, sp.has('#'), conv);
                return sp.number(negative, "", body);
            }
            default:
                throw new CnnException("unsupported format character '" + conv + "'");
        }
    }

    /** A field's flags, width and precision (-1 when absent), as the format string gives them. */
    private record Spec(String flags, int width, int precision) {

        static Spec parse(String spec) {
            int i = 0;
            while (i < spec.length() && "-+ #0".indexOf(spec.charAt(i)) >= 0) {
                i++;
            }
            String flags = spec.substring(0, i);
            int dot = spec.indexOf('.', i);
            String width = dot < 0 ? spec.substring(i) : spec.substring(i, dot);
            String precision = dot < 0 ? null : spec.substring(dot + 1);
            return new Spec(flags, width.isEmpty() ? -1 : Integer.parseInt(width),
                    precision == null ? -1 : precision.isEmpty() ? 0 : Integer.parseInt(precision));
        }

        boolean has(char flag) {
            return flags.indexOf(flag) >= 0;
        }

        /** Text cut to the precision and padded to the width, both in characters (code points). */
        String text(String s) {
            if (precision >= 0 && s.codePointCount(0, s.length()) > precision) {
                s = s.substring(0, s.offsetByCodePoints(0, precision));
            }
            int fill = width - s.codePointCount(0, s.length());
            if (fill <= 0) {
                return s;
            }
            return has('-') ? s + " ".repeat(fill) : " ".repeat(fill) + s;
        }

        /** A number's sign, prefix (0x) and digits laid out in the width. */
        String number(boolean negative, String prefix, String digits) {
            String sign = negative ? "-" : has('+') ? "+" : has(' ') ? " " : "";
            int fill = width - sign.length() - prefix.length() - digits.length();
            if (fill <= 0) {
                return sign + prefix + digits;
            }
            if (has('-')) {
                return sign + prefix + digits + " ".repeat(fill);
            }
            if (has('0')) {
                return sign + prefix + "0".repeat(fill) + digits;
            }
            return " ".repeat(fill) + sign + prefix + digits;
        }
    }

    /**
     * %f of a finite number that is not negative, as C's printf (and so Python) writes it: the
     * double's exact binary value rounded half to even, so {@code "%.2f" % 0.125} is 0.12 and
     * {@code "%.2f" % 2.675} is 2.67 (Java's Formatter rounds the shortest decimal half up: 0.13, 2.68).
     * With '#', a point stays even without decimals.
     */
    static String fixed(double d, int precision, boolean point) {
        String s = new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return point && precision == 0 ? s + "." : s;
    }

    /** %e of a finite number that is not negative: precision + 1 digits of its exact value, half to even. */
    static String scientific(double d, int precision, boolean point, char conv) {
        String digits;
        int exponent;
        if (d == 0) {
            digits = "0".repeat(precision + 1);
            exponent = 0;
        } else {
            BigDecimal r = new BigDecimal(d).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
            exponent = r.precision() - r.scale() - 1;
            digits = r.unscaledValue().toString();
            digits = digits.length() > precision + 1 ? digits.substring(0, precision + 1)
                    : digits + "0".repeat(precision + 1 - digits.length());
        }
        String mantissa = digits.charAt(0) + (precision > 0 ? "." + digits.substring(1) : point ? "." : "");
        return mantissa + (conv == 'E' ? "E" : "e") + (exponent < 0 ? "-" : "+")
                + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }

    /** %g of a number that is not negative: the digits without the sign and padding. */
    private static String pythonG(double d, Spec sp, boolean upper) {
        int precision = sp.precision >= 0 ? sp.precision : 6;
        if (precision == 0) {
            precision = 1;
        }
        boolean keepZeros = sp.has('#'); // '#': trailing zeros and the point stay, as in Python
        String body;
        if (d == 0) {
            body = keepZeros ? String.format(Locale.ROOT, "%#." + (precision - 1) + "f", 0.0) : "0";
        } else {
            String rounded = scientific(d, precision - 1, false, 'e');
            int exp = Integer.parseInt(rounded.substring(rounded.indexOf('e') + 1));
            if (exp < -4 || exp >= precision) {
                String mant = rounded.substring(0, rounded.indexOf('e'));
                if (!keepZeros && mant.contains(".")) {
                    mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
                } else if (keepZeros && !mant.contains(".")) {
                    mant += ".";
                }
                body = mant + "e" + (exp < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(exp));
            } else {
                body = fixed(d, Math.max(0, precision - 1 - exp), keepZeros);
                if (!keepZeros && body.contains(".")) {
                    body = body.replaceAll("0+$", "").replaceAll("\\.$", "");
                }
            }
        }
        return upper ? body.toUpperCase(Locale.ROOT) : body;
    }

    /** Python's ascii() of a repr: code points past ASCII as \\xhh, \\uhhhh or \\Uhhhhhhhh. */
    private static String ascii(String repr) {
        StringBuilder out = new StringBuilder();
        repr.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                out.appendCodePoint(cp);
            } else {
                out.append(cp < 0x100 ? String.format(Locale.ROOT, "\\x%02x", cp)
                        : cp < 0x10000 ? String.format(Locale.ROOT, "\\u%04x", cp)
                        : String.format(Locale.ROOT, "\\U%08x", cp));
            }
        });
        return out.toString();
    }

    /** %c: the character of an int code point or a one-character string, as Python. */
    private static String character(Object v) {
        if (v instanceof String s && s.codePointCount(0, s.length()) == 1) {
            return s;
        }
        if (Ints.isInt(v) || v instanceof Boolean) {
            java.math.BigInteger n = v instanceof Boolean t ? java.math.BigInteger.valueOf(t ? 1 : 0) : Ints.big(v);
            if (n.signum() < 0 || n.compareTo(java.math.BigInteger.valueOf(0x10FFFF)) > 0) {
                throw new CnnException("%c arg not in range(0x110000)");
            }
            return new String(Character.toChars(n.intValue()));
        }
        throw new CnnException("%c requires an int or a one-character string, not " + Values.typeName(v)
                + (v instanceof String ? " of length " + ((String) v).codePointCount(0, ((String) v).length()) : ""));
    }

    /** The whole number %d shows: ints as they are, floats truncated (of any size), as Python. */
    private static java.math.BigInteger integer(Object v, char conv) {
        if (Ints.isInt(v)) {
            return Ints.big(v);
        }
        double d = number(v, conv);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new CnnException("cannot convert float " + (Double.isNaN(d) ? "NaN" : "infinity") + " to integer");
        }
        return new BigDecimal(d).toBigInteger();
    }

    private static double number(Object v, char conv) {
        Double d = Values.asDouble(v);
        if (d != null) {
            return d;
        }
        throw new CnnException("%" + conv + " needs a number, not " + Values.typeName(v)
                + (v instanceof NDArray a ? " of shape " + TensorFormat.shape(a.getShape()) : ""));
    }
}

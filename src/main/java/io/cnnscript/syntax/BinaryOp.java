package io.cnnscript.syntax;

/** Binary operators, with the symbol a user writes (used in error messages). */
public enum BinaryOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), FLOORDIV("//"), POW("**"), MATMUL("@"), COMPOSE(">>"),
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
    /** Membership, {@code x in xs}: the container is the right operand, as in Python. */
    IN("in"), NOT_IN("not in"),
    /** Identity, {@code x is none}. */
    IS("is"), IS_NOT("is not");

    public final String symbol;

    BinaryOp(String symbol) {
        this.symbol = symbol;
    }

    public static BinaryOp of(String symbol) {
        for (BinaryOp op : values()) {
            if (op.symbol.equals(symbol)) {
                return op;
            }
        }
        throw new IllegalArgumentException(symbol);
    }

    /** The comparisons, which chain as in Python: {@code == != < <= > >= in} and {@code not in}. */
    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }

    /** {@code is} and {@code is not}. */
    public boolean isIdentity() {
        return this == IS || this == IS_NOT;
    }

    /** {@code in} and {@code not in}. */
    public boolean isMembership() {
        return this == IN || this == NOT_IN;
    }
}

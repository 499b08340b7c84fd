package io.cnnscript.syntax;

/** Binary operators, with the symbol a user writes (used in error messages). */
public enum BinaryOp {
    ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), FLOORDIV("//"), POW("**"), MATMUL("@"), COMPOSE(">>"),
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

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

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}

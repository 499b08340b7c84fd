package io.cnnscript.syntax;

import java.util.List;

/** Expressions of cnnscript. Every node carries the location it starts at. */
public sealed interface Expr {

    SourceLocation loc();

    /** A number, string, boolean or none; the value is a Long, Double, String, Boolean or null for none. */
    record Literal(Object value, SourceLocation loc) implements Expr {}

    record Name(String name, SourceLocation loc) implements Expr {}

    record Attribute(Expr target, String name, SourceLocation loc) implements Expr {}

    record Call(Expr callee, List<Expr> args, List<KeywordArg> keywords, SourceLocation loc) implements Expr {}

    record KeywordArg(String name, Expr value, SourceLocation loc) {}

    /** {@code *items} among a call's arguments: the items of a list or tuple, as arguments. */
    record Starred(Expr value, SourceLocation loc) implements Expr {}

    record Index(Expr target, List<Subscript> subscripts, SourceLocation loc) implements Expr {}

    record Binary(BinaryOp op, Expr left, Expr right, SourceLocation loc) implements Expr {}

    /**
     * A chain of two or more comparisons, {@code a < b <= c}: Python's {@code a < b and b <= c}
     * with each operand evaluated once. There is one more operand than operators.
     */
    record Compare(List<Expr> operands, List<BinaryOp> ops, List<SourceLocation> opLocs, SourceLocation loc)
            implements Expr {}

    record Negate(Expr operand, SourceLocation loc) implements Expr {}

    record Not(Expr operand, SourceLocation loc) implements Expr {}

    /** {@code and} / {@code or}: short-circuit, the value of the deciding operand. */
    record Logical(boolean isAnd, Expr left, Expr right, SourceLocation loc) implements Expr {}

    record TupleExpr(List<Expr> items, SourceLocation loc) implements Expr {}

    record ListExpr(List<Expr> items, SourceLocation loc) implements Expr {}

    /** {@code tensor[...]}: the items are nested lists of numbers. */
    record TensorLiteral(List<Expr> items, SourceLocation loc) implements Expr {}

    /** {@code [element for names in iterable if condition]}; condition may be null. */
    record Comprehension(Expr element, List<String> names, Expr iterable, Expr condition, SourceLocation loc)
            implements Expr {}

    /** One position inside {@code [...]}: a single index or a slice {@code lo:hi:step} (parts may be null). */
    sealed interface Subscript {
        SourceLocation loc();
    }

    record Single(Expr index, SourceLocation loc) implements Subscript {}

    record Slice(Expr lo, Expr hi, Expr step, SourceLocation loc) implements Subscript {}
}

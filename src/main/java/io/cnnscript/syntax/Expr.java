package io.cnnscript.syntax;

import java.util.List;

/** Expressions of cnnscript. Every node carries the location it starts at. */
public sealed interface Expr {

    SourceLocation loc();

    /** Calls the visit method for this kind of expression. */
    <R> R accept(Visitor<R> v);

    /**
     * One method per kind of expression: adding a record to this sealed interface means
     * adding its visit method, so every visitor (the compiler's) fails to compile until it handles it.
     */
    interface Visitor<R> {
        R visit(Literal e);

        R visit(Name e);

        R visit(Attribute e);

        R visit(Call e);

        R visit(Starred e);

        R visit(Index e);

        R visit(Binary e);

        R visit(Compare e);

        R visit(Negate e);

        R visit(Not e);

        R visit(Logical e);

        R visit(Conditional e);

        R visit(TupleExpr e);

        R visit(ListExpr e);

        R visit(TensorLiteral e);

        R visit(Comprehension e);
    }

    /** A number, string, boolean or none; the value is a Long, Double, String, Boolean or null for none. */
    record Literal(Object value, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Name(String name, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Attribute(Expr target, String name, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Call(Expr callee, List<Expr> args, List<KeywordArg> keywords, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record KeywordArg(String name, Expr value, SourceLocation loc) {}

    /** {@code *items} among a call's arguments: the items of a list or tuple, as arguments. */
    record Starred(Expr value, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Index(Expr target, List<Subscript> subscripts, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Binary(BinaryOp op, Expr left, Expr right, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /**
     * A chain of two or more comparisons, {@code a < b <= c}: Python's {@code a < b and b <= c}
     * with each operand evaluated once. There is one more operand than operators.
     */
    record Compare(List<Expr> operands, List<BinaryOp> ops, List<SourceLocation> opLocs, SourceLocation loc)
            implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Negate(Expr operand, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Not(Expr operand, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code and} / {@code or}: short-circuit, the value of the deciding operand. */
    record Logical(boolean isAnd, Expr left, Expr right, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code then if condition else orElse}: Python's conditional expression, only one branch evaluated. */
    record Conditional(Expr condition, Expr then, Expr orElse, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record TupleExpr(List<Expr> items, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record ListExpr(List<Expr> items, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code tensor[...]}: the items are nested lists of numbers. */
    record TensorLiteral(List<Expr> items, SourceLocation loc) implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code [element for names in iterable if condition]}; condition may be null. */
    record Comprehension(Expr element, List<String> names, Expr iterable, Expr condition, SourceLocation loc)
            implements Expr {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** One position inside {@code [...]}: a single index or a slice {@code lo:hi:step} (parts may be null). */
    sealed interface Subscript {
        SourceLocation loc();
    }

    record Single(Expr index, SourceLocation loc) implements Subscript {}

    record Slice(Expr lo, Expr hi, Expr step, SourceLocation loc) implements Subscript {}
}

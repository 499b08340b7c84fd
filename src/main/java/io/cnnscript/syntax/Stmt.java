package io.cnnscript.syntax;

import java.util.List;

/** Statements of cnnscript. */
public sealed interface Stmt {

    SourceLocation loc();

    /** Calls the visit method for this kind of statement. */
    <R> R accept(Visitor<R> v);

    /**
     * One method per kind of statement: adding a record to this sealed interface means
     * adding its visit method, so every visitor (the compiler's) fails to compile until it handles it.
     */
    interface Visitor<R> {
        R visit(ExprStmt e);

        R visit(Assign e);

        R visit(AugAssign e);

        R visit(If e);

        R visit(For e);

        R visit(While e);

        R visit(Return e);

        R visit(Break e);

        R visit(Continue e);

        R visit(FnDef e);

        R visit(LayerDef e);
    }

    /** An expression statement; {@code echo} is false when a REPL line ends with ';'. */
    record ExprStmt(Expr expr, SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code a = v}, {@code a, b = v}, {@code X[i] = v}, {@code o.x = v}. */
    record Assign(List<Expr> targets, Expr value, SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code target op= value} with op one of + - * /. */
    record AugAssign(Expr target, BinaryOp op, Expr value, SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code if}; orElse is empty when there is no else. */
    record If(Expr condition, List<Stmt> then, List<Stmt> orElse, SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record For(List<String> names, Expr iterable, List<Stmt> body, SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record While(Expr condition, List<Stmt> body, SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** {@code return} with an optional value (null). */
    record Return(Expr value, SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Break(SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Continue(SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    record Param(String name, Expr defaultValue, SourceLocation loc) {}

    record FnDef(String name, List<Param> params, List<Stmt> body, SourceLocation loc) implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }

    /** A user layer: statements that make its state, and methods (one named forward). */
    record LayerDef(String name, List<Param> params, List<Stmt> body, List<FnDef> methods, SourceLocation loc)
            implements Stmt {
        @Override
        public <R> R accept(Visitor<R> v) {
            return v.visit(this);
        }
    }
}

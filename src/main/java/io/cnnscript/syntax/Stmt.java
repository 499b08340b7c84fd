package io.cnnscript.syntax;

import java.util.List;

/** Statements of cnnscript. */
public sealed interface Stmt {

    SourceLocation loc();

    /** An expression statement; {@code echo} is false when a REPL line ends with ';'. */
    record ExprStmt(Expr expr, SourceLocation loc) implements Stmt {}

    /** {@code a = v}, {@code a, b = v}, {@code X[i] = v}, {@code o.x = v}. */
    record Assign(List<Expr> targets, Expr value, SourceLocation loc) implements Stmt {}

    /** {@code target op= value} with op one of + - * /. */
    record AugAssign(Expr target, BinaryOp op, Expr value, SourceLocation loc) implements Stmt {}

    /** {@code if}; orElse is empty when there is no else. */
    record If(Expr condition, List<Stmt> then, List<Stmt> orElse, SourceLocation loc) implements Stmt {}

    record For(List<String> names, Expr iterable, List<Stmt> body, SourceLocation loc) implements Stmt {}

    record While(Expr condition, List<Stmt> body, SourceLocation loc) implements Stmt {}

    /** {@code return} with an optional value (null). */
    record Return(Expr value, SourceLocation loc) implements Stmt {}

    record Break(SourceLocation loc) implements Stmt {}

    record Continue(SourceLocation loc) implements Stmt {}

    record Param(String name, Expr defaultValue, SourceLocation loc) {}

    record FnDef(String name, List<Param> params, List<Stmt> body, SourceLocation loc) implements Stmt {}

    /** A user layer: statements that make its state, and methods (one named forward). */
    record LayerDef(String name, List<Param> params, List<Stmt> body, List<FnDef> methods, SourceLocation loc)
            implements Stmt {}
}

package io.cnnscript.parse;

import io.cnnscript.error.CnnException;
import io.cnnscript.parse.gen.CnnBaseVisitor;
import io.cnnscript.parse.gen.CnnParser;
import io.cnnscript.syntax.BinaryOp;
import io.cnnscript.value.Ints;
import io.cnnscript.syntax.Expr;
import io.cnnscript.syntax.SourceLocation;
import io.cnnscript.syntax.Stmt;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Turns the ANTLR parse tree into our own immutable nodes, each stamped with its location. */
final class AstBuilder extends CnnBaseVisitor<Object> {

    private final String file;

    AstBuilder(String file) {
        this.file = file;
    }

    List<Stmt> program(CnnParser.ProgramContext ctx) {
        return statements(ctx.statement());
    }

    private SourceLocation loc(ParserRuleContext ctx) {
        return loc(ctx.getStart());
    }

    private SourceLocation loc(Token t) {
        return new SourceLocation(file, t.getLine(), t.getCharPositionInLine() + 1);
    }

    private List<Stmt> statements(List<CnnParser.StatementContext> list) {
        List<Stmt> out = new ArrayList<>(list.size());
        for (CnnParser.StatementContext s : list) {
            out.add(stmt(s));
        }
        return List.copyOf(out);
    }

    private Stmt stmt(ParserRuleContext ctx) {
        return (Stmt) visit(ctx);
    }

    private Expr expr(ParserRuleContext ctx) {
        return ctx == null ? null : (Expr) visit(ctx);
    }

    private List<Expr> exprs(List<? extends ParserRuleContext> list) {
        List<Expr> out = new ArrayList<>(list.size());
        for (ParserRuleContext e : list) {
            out.add(expr(e));
        }
        return List.copyOf(out);
    }

    private List<Stmt> block(CnnParser.BlockContext ctx) {
        return statements(ctx.statement());
    }

    /** A comprehension's names: plain names only. */
    private List<String> names(CnnParser.NamesContext ctx) {
        List<String> out = new ArrayList<>();
        for (CnnParser.LoopNameContext n : ctx.loopName()) {
            if (n.NAME() == null) {
                throw new CnnException("a comprehension takes plain names after for; take the tuple apart in a for "
                        + "loop, or index it: [p[0] for p in pairs]", file, n.getStart().getLine(),
                        n.getStart().getCharPositionInLine() + 1, null);
            }
            out.add(n.NAME().getText());
        }
        return out;
    }

    /**
     * A for loop's names; a group in parentheses ({@code for i, (X, y) in ...}) becomes a hidden
     * name that statements put first in the body take apart, as Python's nested targets do.
     */
    private List<String> loopNames(CnnParser.NamesContext ctx, List<Stmt> unpack) {
        List<String> out = new ArrayList<>();
        for (CnnParser.LoopNameContext n : ctx.loopName()) {
            if (n.NAME() != null) {
                out.add(n.NAME().getText());
                continue;
            }
            List<String> inner = loopNames(n.names(), unpack);
            if (inner.size() == 1 && n.getChildCount() == 3) {
                out.add(inner.get(0)); // (x) is x
                continue;
            }
            String hidden = "$" + (hiddenNames++);
            out.add(hidden);
            SourceLocation at = loc(n);
            List<Expr> targets = new ArrayList<>();
            for (String name : inner) {
                targets.add(new Expr.Name(name, at));
            }
            // Outer groups are taken apart before the groups inside them.
            unpack.add(0, new Stmt.Assign(List.copyOf(targets), new Expr.Name(hidden, at), at));
        }
        return out;
    }

    private int hiddenNames;

    private List<Stmt.Param> params(CnnParser.ParamsContext ctx) {
        if (ctx == null) {
            return List.of();
        }
        List<Stmt.Param> out = new ArrayList<>();
        boolean seenDefault = false;
        for (CnnParser.ParamContext p : ctx.param()) {
            Expr def = expr(p.expr());
            String name = p.NAME().getText();
            if (def == null && seenDefault) {
                throw new CnnException("parameter '" + name + "' without a default follows one with a default",
                        file, p.getStart().getLine(), p.getStart().getCharPositionInLine() + 1, null);
            }
            for (Stmt.Param q : out) {
                if (q.name().equals(name)) {
                    throw new CnnException("parameter '" + name + "' is named twice", file, p.getStart().getLine(),
                            p.getStart().getCharPositionInLine() + 1, null);
                }
            }
            seenDefault |= def != null;
            out.add(new Stmt.Param(name, def, loc(p)));
        }
        return List.copyOf(out);
    }

    // ---- statements

    @Override
    public Object visitFnDef(CnnParser.FnDefContext ctx) {
        return new Stmt.FnDef(ctx.NAME().getText(), params(ctx.params()), block(ctx.block()), loc(ctx));
    }

    @Override
    public Object visitLayerDef(CnnParser.LayerDefContext ctx) {
        List<Stmt> body = new ArrayList<>();
        List<Stmt.FnDef> methods = new ArrayList<>();
        for (CnnParser.LayerItemContext item : ctx.layerBody().layerItem()) {
            if (item instanceof CnnParser.LayerMethodContext m) {
                methods.add(new Stmt.FnDef(m.NAME().getText(), params(m.params()), block(m.block()), loc(m)));
            } else {
                body.add(stmt(((CnnParser.LayerStatementContext) item).statement()));
            }
        }
        return new Stmt.LayerDef(ctx.NAME().getText(), params(ctx.params()), List.copyOf(body), List.copyOf(methods),
                loc(ctx));
    }

    @Override
    public Object visitIf(CnnParser.IfContext ctx) {
        return visitIfStmt(ctx.ifStmt());
    }

    @Override
    public Object visitIfStmt(CnnParser.IfStmtContext ctx) {
        List<Stmt> orElse;
        if (ctx.ifStmt() != null) {
            orElse = List.of((Stmt) visitIfStmt(ctx.ifStmt()));
        } else if (ctx.block().size() > 1) {
            orElse = block(ctx.block(1));
        } else {
            orElse = List.of();
        }
        return new Stmt.If(expr(ctx.expr()), block(ctx.block(0)), orElse, loc(ctx));
    }

    @Override
    public Object visitFor(CnnParser.ForContext ctx) {
        List<Stmt> unpack = new ArrayList<>();
        List<String> names = loopNames(ctx.names(), unpack);
        List<Stmt> body = new ArrayList<>(unpack);
        body.addAll(block(ctx.block()));
        return new Stmt.For(names, expr(ctx.expr()), List.copyOf(body), loc(ctx));
    }

    @Override
    public Object visitWhile(CnnParser.WhileContext ctx) {
        return new Stmt.While(expr(ctx.expr()), block(ctx.block()), loc(ctx));
    }

    @Override
    public Object visitReturn(CnnParser.ReturnContext ctx) {
        return new Stmt.Return(expr(ctx.expr()), loc(ctx));
    }

    @Override
    public Object visitBreak(CnnParser.BreakContext ctx) {
        return new Stmt.Break(loc(ctx));
    }

    @Override
    public Object visitContinue(CnnParser.ContinueContext ctx) {
        return new Stmt.Continue(loc(ctx));
    }

    @Override
    public Object visitAssign(CnnParser.AssignContext ctx) {
        List<Expr> targets = exprs(ctx.targets);
        for (Expr t : targets) {
            checkTarget(t);
        }
        return new Stmt.Assign(targets, exprList(ctx.exprList()), loc(ctx));
    }

    @Override
    public Object visitAugAssign(CnnParser.AugAssignContext ctx) {
        Expr target = expr(ctx.target);
        checkTarget(target);
        String op = ctx.op.getText();
        return new Stmt.AugAssign(target, BinaryOp.of(op.substring(0, op.length() - 1)), expr(ctx.value), loc(ctx));
    }

    private void checkTarget(Expr target) {
        if (!(target instanceof Expr.Name || target instanceof Expr.Index || target instanceof Expr.Attribute)) {
            SourceLocation at = target.loc();
            throw new CnnException("cannot assign to this expression; assign to a name, an index X[i] or an attribute",
                    at.file(), at.line(), at.column(), null);
        }
    }

    @Override
    public Object visitExprStmt(CnnParser.ExprStmtContext ctx) {
        return new Stmt.ExprStmt(exprList(ctx.exprList()), loc(ctx));
    }

    private Expr exprList(CnnParser.ExprListContext ctx) {
        if (ctx.expr().size() == 1 && ctx.trailing == null) {
            return expr(ctx.expr(0));
        }
        return new Expr.TupleExpr(exprs(ctx.expr()), loc(ctx));
    }

    // ---- expressions

    @Override
    public Object visitAtomExpr(CnnParser.AtomExprContext ctx) {
        return visit(ctx.atom());
    }

    @Override
    public Object visitAttribute(CnnParser.AttributeContext ctx) {
        return new Expr.Attribute(expr(ctx.expr()), ctx.NAME().getText(), loc(ctx.NAME().getSymbol()));
    }

    @Override
    public Object visitCall(CnnParser.CallContext ctx) {
        // The location of a call is its opening parenthesis's line but the callee's start, as Python reports.
        return call(expr(ctx.expr()), ctx.args(), loc(ctx));
    }

    /** {@code tensor(data, ...)}: a call of the built-in tensor, as torch.tensor (the keyword also starts tensor[...]). */
    @Override
    public Object visitTensorCall(CnnParser.TensorCallContext ctx) {
        return call(new Expr.Name("tensor", loc(ctx)), ctx.args(), loc(ctx));
    }

    private Expr call(Expr callee, CnnParser.ArgsContext argList, SourceLocation where) {
        List<Expr> args = new ArrayList<>();
        List<Expr.KeywordArg> keywords = new ArrayList<>();
        if (argList != null) {
            for (CnnParser.ArgContext a : argList.arg()) {
                if (a instanceof CnnParser.KeywordArgContext k) {
                    String name = k.NAME().getText();
                    for (Expr.KeywordArg seen : keywords) {
                        if (seen.name().equals(name)) {
                            throw new CnnException("keyword argument '" + name + "' is given twice", file,
                                    k.getStart().getLine(), k.getStart().getCharPositionInLine() + 1, null);
                        }
                    }
                    keywords.add(new Expr.KeywordArg(name, expr(k.expr()), loc(k)));
                } else {
                    if (!keywords.isEmpty()) {
                        throw new CnnException("a positional argument cannot follow a keyword argument", file,
                                a.getStart().getLine(), a.getStart().getCharPositionInLine() + 1, null);
                    }
                    args.add(a instanceof CnnParser.StarArgContext s ? new Expr.Starred(expr(s.expr()), loc(s))
                            : expr(((CnnParser.PositionalArgContext) a).expr()));
                }
            }
        }
        return new Expr.Call(callee, List.copyOf(args), List.copyOf(keywords), where);
    }

    @Override
    public Object visitIndex(CnnParser.IndexContext ctx) {
        List<Expr.Subscript> subs = new ArrayList<>();
        for (CnnParser.SubscriptContext s : ctx.subscript()) {
            if (s instanceof CnnParser.SliceContext sl) {
                subs.add(new Expr.Slice(expr(sl.lo), expr(sl.hi), expr(sl.step), loc(sl)));
            } else if (s instanceof CnnParser.EllipsisContext) {
                subs.add(new Expr.Single(new Expr.Literal(io.cnnscript.lib.Indexing.ELLIPSIS, loc(s)), loc(s)));
            } else {
                subs.add(new Expr.Single(expr(((CnnParser.SingleContext) s).expr()), loc(s)));
            }
        }
        return new Expr.Index(expr(ctx.expr()), List.copyOf(subs), loc(ctx));
    }

    @Override
    public Object visitBinary(CnnParser.BinaryContext ctx) {
        if (isComparison(ctx) && ctx.expr(0) instanceof CnnParser.BinaryContext left && isComparison(left)) {
            return comparisonChain(ctx);
        }
        return new Expr.Binary(op(ctx), expr(ctx.expr(0)), expr(ctx.expr(1)), opLoc(ctx));
    }

    /** The operator: its one token, or the two of {@code not in}. */
    private static BinaryOp op(CnnParser.BinaryContext ctx) {
        return ctx.notIn != null ? BinaryOp.NOT_IN : ctx.isNot != null ? BinaryOp.IS_NOT : BinaryOp.of(ctx.op.getText());
    }

    /** Where the operator starts ({@code not} of {@code not in}): its errors belong there. */
    private SourceLocation opLoc(CnnParser.BinaryContext ctx) {
        return loc(ctx.notIn != null ? ctx.notIn : ctx.op);
    }

    private static boolean isComparison(CnnParser.BinaryContext ctx) {
        return op(ctx).isComparison();
    }

    /** {@code a < b < c} without parentheses is Python's chain {@code a < b and b < c}, b evaluated once. */
    private Expr comparisonChain(CnnParser.BinaryContext ctx) {
        List<CnnParser.BinaryContext> links = new ArrayList<>();
        CnnParser.ExprContext at = ctx;
        while (at instanceof CnnParser.BinaryContext b && isComparison(b)) {
            links.add(0, b);
            at = b.expr(0);
        }
        List<Expr> operands = new ArrayList<>();
        List<BinaryOp> ops = new ArrayList<>();
        List<SourceLocation> opLocs = new ArrayList<>();
        operands.add(expr(at));
        for (CnnParser.BinaryContext b : links) {
            ops.add(op(b));
            opLocs.add(opLoc(b));
            operands.add(expr(b.expr(1)));
        }
        return new Expr.Compare(List.copyOf(operands), List.copyOf(ops), List.copyOf(opLocs), opLoc(ctx));
    }

    @Override
    public Object visitNegate(CnnParser.NegateContext ctx) {
        Expr operand = expr(ctx.expr());
        // Fold "-3" into a literal so that tensor literals and defaults stay plain numbers.
        if (operand instanceof Expr.Literal lit && Ints.isInt(lit.value())) {
            return new Expr.Literal(Ints.of(Ints.big(lit.value()).negate()), loc(ctx));
        }
        if (operand instanceof Expr.Literal lit && lit.value() instanceof Double d) {
            return new Expr.Literal(-d, loc(ctx));
        }
        return new Expr.Negate(operand, loc(ctx));
    }

    @Override
    public Object visitConditional(CnnParser.ConditionalContext ctx) {
        return new Expr.Conditional(expr(ctx.expr(1)), expr(ctx.expr(0)), expr(ctx.expr(2)), loc(ctx));
    }

    @Override
    public Object visitNot(CnnParser.NotContext ctx) {
        return new Expr.Not(expr(ctx.expr()), loc(ctx));
    }

    @Override
    public Object visitLogical(CnnParser.LogicalContext ctx) {
        return new Expr.Logical(ctx.op.getText().equals("and"), expr(ctx.expr(0)), expr(ctx.expr(1)), loc(ctx.op));
    }

    // ---- atoms

    @Override
    public Object visitInt(CnnParser.IntContext ctx) {
        String digits = ctx.getText().replaceFirst("^0+(?=.)", "");
        try {
            if (digits.length() > Ints.MAX_DIGITS) {
                throw Ints.tooLarge(Long.MAX_VALUE);
            }
            return new Expr.Literal(Ints.of(new java.math.BigInteger(digits)), loc(ctx));
        } catch (CnnException e) {
            throw new CnnException(e.detail(), file, ctx.getStart().getLine(), ctx.getStart().getCharPositionInLine() + 1,
                    null);
        }
    }

    @Override
    public Object visitFloat(CnnParser.FloatContext ctx) {
        return new Expr.Literal(Double.parseDouble(ctx.getText()), loc(ctx));
    }

    @Override
    public Object visitString(CnnParser.StringContext ctx) {
        return new Expr.Literal(unquote(ctx.getText(), ctx.getStart()), loc(ctx));
    }

    private String unquote(String text, Token at) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 1; i < text.length() - 1; i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case '0' -> sb.append('\0');
                case '\\', '\'', '"' -> sb.append(e);
                default -> throw new CnnException("unknown escape '\\" + e + "' in string", file, at.getLine(),
                        at.getCharPositionInLine() + i, null);
            }
        }
        return sb.toString();
    }

    @Override
    public Object visitTrue(CnnParser.TrueContext ctx) {
        return new Expr.Literal(Boolean.TRUE, loc(ctx));
    }

    @Override
    public Object visitFalse(CnnParser.FalseContext ctx) {
        return new Expr.Literal(Boolean.FALSE, loc(ctx));
    }

    @Override
    public Object visitNone(CnnParser.NoneContext ctx) {
        return new Expr.Literal(null, loc(ctx));
    }

    @Override
    public Object visitName(CnnParser.NameContext ctx) {
        return new Expr.Name(ctx.getText(), loc(ctx));
    }

    @Override
    public Object visitTensorLiteral(CnnParser.TensorLiteralContext ctx) {
        return new Expr.TensorLiteral(exprs(ctx.expr()), loc(ctx));
    }

    @Override
    public Object visitEmptyTuple(CnnParser.EmptyTupleContext ctx) {
        return new Expr.TupleExpr(List.of(), loc(ctx));
    }

    @Override
    public Object visitParen(CnnParser.ParenContext ctx) {
        return expr(ctx.expr());
    }

    @Override
    public Object visitTuple(CnnParser.TupleContext ctx) {
        return new Expr.TupleExpr(exprs(ctx.expr()), loc(ctx));
    }

    @Override
    public Object visitComprehension(CnnParser.ComprehensionContext ctx) {
        Expr cond = ctx.expr().size() > 2 ? expr(ctx.expr(2)) : null;
        return new Expr.Comprehension(expr(ctx.expr(0)), names(ctx.names()), expr(ctx.expr(1)), cond, loc(ctx));
    }

    @Override
    public Object visitList(CnnParser.ListContext ctx) {
        return new Expr.ListExpr(exprs(ctx.expr()), loc(ctx));
    }
}

package io.cnnscript.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Indexing;
import io.cnnscript.syntax.Expr;
import io.cnnscript.syntax.SourceLocation;
import io.cnnscript.syntax.Stmt;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The front end alone: source text to the syntax tree, no interpreter and no engine. Trees are
 * compared whole, written as S-expressions (locations are checked apart, where they matter).
 */
class ParserTest {

    // ------------------------------------------------------------------ a tree as text

    static String tree(String source) {
        return Parser.parse(source, "<test>").stream().map(ParserTest::show).collect(Collectors.joining("\n"));
    }

    private static String all(List<?> nodes) {
        return nodes.stream().map(ParserTest::show).collect(Collectors.joining(" "));
    }

    private static String block(List<Stmt> body) {
        return "{" + all(body) + "}";
    }

    private static String show(Object node) {
        if (node == null) {
            return "_";
        }
        if (node instanceof Expr.Literal l) {
            Object v = l.value();
            if (v == null) {
                return "none";
            }
            if (v == Indexing.ELLIPSIS) {
                return "...";
            }
            return v instanceof String s ? "'" + s + "'" : v.getClass().getSimpleName() + ":" + v;
        }
        if (node instanceof Expr.Name n) {
            return n.name();
        }
        if (node instanceof Expr.Attribute a) {
            return "(. " + show(a.target()) + " " + a.name() + ")";
        }
        if (node instanceof Expr.Call c) {
            String kw = c.keywords().stream().map(k -> " " + k.name() + "=" + show(k.value())).collect(Collectors.joining());
            return "(call " + show(c.callee()) + (c.args().isEmpty() ? "" : " " + all(c.args())) + kw + ")";
        }
        if (node instanceof Expr.Starred s) {
            return "(* " + show(s.value()) + ")";
        }
        if (node instanceof Expr.Index i) {
            return "(index " + show(i.target()) + " " + all(i.subscripts()) + ")";
        }
        if (node instanceof Expr.Single s) {
            return show(s.index());
        }
        if (node instanceof Expr.Slice s) {
            return "(: " + show(s.lo()) + " " + show(s.hi()) + " " + show(s.step()) + ")";
        }
        if (node instanceof Expr.Binary b) {
            return "(" + b.op().symbol + " " + show(b.left()) + " " + show(b.right()) + ")";
        }
        if (node instanceof Expr.Compare c) {
            StringBuilder sb = new StringBuilder("(chain ").append(show(c.operands().get(0)));
            for (int i = 0; i < c.ops().size(); i++) {
                sb.append(' ').append(c.ops().get(i).symbol).append(' ').append(show(c.operands().get(i + 1)));
            }
            return sb.append(')').toString();
        }
        if (node instanceof Expr.Negate n) {
            return "(neg " + show(n.operand()) + ")";
        }
        if (node instanceof Expr.Not n) {
            return "(not " + show(n.operand()) + ")";
        }
        if (node instanceof Expr.Logical l) {
            return "(" + (l.isAnd() ? "and" : "or") + " " + show(l.left()) + " " + show(l.right()) + ")";
        }
        if (node instanceof Expr.Conditional c) {
            return "(if-else " + show(c.condition()) + " " + show(c.then()) + " " + show(c.orElse()) + ")";
        }
        if (node instanceof Expr.TupleExpr t) {
            return "(tuple" + (t.items().isEmpty() ? "" : " " + all(t.items())) + ")";
        }
        if (node instanceof Expr.ListExpr l) {
            return "(list" + (l.items().isEmpty() ? "" : " " + all(l.items())) + ")";
        }
        if (node instanceof Expr.TensorLiteral t) {
            return "(tensor " + all(t.items()) + ")";
        }
        if (node instanceof Expr.Comprehension c) {
            return "(comp " + show(c.element()) + " for " + String.join(",", c.names()) + " in " + show(c.iterable())
                    + (c.condition() == null ? "" : " if " + show(c.condition())) + ")";
        }
        if (node instanceof Stmt.ExprStmt e) {
            return show(e.expr());
        }
        if (node instanceof Stmt.Assign a) {
            return "(= " + all(a.targets()) + " " + show(a.value()) + ")";
        }
        if (node instanceof Stmt.AugAssign a) {
            return "(" + a.op().symbol + "= " + show(a.target()) + " " + show(a.value()) + ")";
        }
        if (node instanceof Stmt.If i) {
            return "(if " + show(i.condition()) + " " + block(i.then()) + (i.orElse().isEmpty() ? "" : " else " + block(i.orElse())) + ")";
        }
        if (node instanceof Stmt.For f) {
            return "(for " + String.join(",", f.names()) + " in " + show(f.iterable()) + " " + block(f.body()) + ")";
        }
        if (node instanceof Stmt.While w) {
            return "(while " + show(w.condition()) + " " + block(w.body()) + ")";
        }
        if (node instanceof Stmt.Return r) {
            return r.value() == null ? "(return)" : "(return " + show(r.value()) + ")";
        }
        if (node instanceof Stmt.Break) {
            return "(break)";
        }
        if (node instanceof Stmt.Continue) {
            return "(continue)";
        }
        if (node instanceof Stmt.Param p) {
            return p.defaultValue() == null ? p.name() : p.name() + "=" + show(p.defaultValue());
        }
        if (node instanceof Stmt.FnDef f) {
            return "(fn " + f.name() + " [" + all(f.params()) + "] " + block(f.body()) + ")";
        }
        if (node instanceof Stmt.LayerDef l) {
            return "(layer " + l.name() + " [" + all(l.params()) + "] " + block(l.body()) + " " + all(l.methods()) + ")";
        }
        throw new AssertionError("no rendering for " + node.getClass());
    }

    private static CnnException syntaxError(String source) {
        return assertThrows(CnnException.class, () -> Parser.parse(source, "<test>"));
    }

    // ------------------------------------------------------------------ precedence, as Python's

    @Test
    void arithmeticPrecedenceAndAssociativity() {
        assertEquals("(+ Long:1 (* Long:2 Long:3))", tree("1 + 2 * 3"));
        assertEquals("(- (- Long:1 Long:2) Long:3)", tree("1 - 2 - 3"));
        assertEquals("(* (+ Long:1 Long:2) Long:3)", tree("(1 + 2) * 3"));
        assertEquals("(** Long:2 (** Long:3 Long:2))", tree("2 ** 3 ** 2"));
        assertEquals("(// (% a b) c)", tree("a % b // c"));
        assertEquals("(+ (@ X W) b)", tree("X @ W + b"));
        assertEquals("(/ (* a b) c)", tree("a * b / c"));
    }

    @Test
    void unaryMinusBindsLooserThanPowerAndFoldsIntoNumbers() {
        // Python: -2 ** 2 == -4, 2 ** -1 == 0.5
        assertEquals("(neg (** Long:2 Long:2))", tree("-2 ** 2"));
        assertEquals("(** Long:2 Long:-1)", tree("2 ** -1"));
        assertEquals("Long:-3", tree("-3"));
        assertEquals("Double:-0.5", tree("-0.5"));
        assertEquals("(neg x)", tree("-x"));
        assertEquals("(* (neg x) y)", tree("-x * y"));
    }

    @Test
    void composeBindsLooserThanArithmeticAndTighterThanComparison() {
        assertEquals("(>> (>> (>> (call Conv Long:1 Long:6 Long:5) ReLU) (call MaxPool Long:2)) Flatten)",
                tree("Conv(1, 6, 5) >> ReLU >> MaxPool(2) >> Flatten"));
        assertEquals("(>> (+ a b) c)", tree("a + b >> c"));
        assertEquals("(== (>> a b) c)", tree("a >> b == c"));
    }

    @Test
    void comparisonsChainAndLogicOperatorsFollowPython() {
        assertEquals("(chain Long:0 <= i < n)", tree("0 <= i < n"));
        assertEquals("(chain a == b != c > d)", tree("a == b != c > d"));
        assertEquals("(< a b)", tree("a < b"));
        // A parenthesised comparison is an operand, not a link of the chain.
        assertEquals("(< (< a b) c)", tree("(a < b) < c"));
        assertEquals("(or a (and b c))", tree("a or b and c"));
        assertEquals("(and (not a) b)", tree("not a and b"));
        assertEquals("(not (== a b))", tree("not a == b"));
        assertEquals("(< (+ a Long:1) (* b Long:2))", tree("a + 1 < b * 2"));
    }

    @Test
    void membershipIsAComparisonAndChainsAsInPython() {
        assertEquals("(in a b)", tree("a in b"));
        assertEquals("(not in a b)", tree("a not in b"));
        assertEquals("(chain a < b in c)", tree("a < b in c"));
        assertEquals("(chain a not in b == c in d)", tree("a not in b == c in d"));
        assertEquals("(not (in a b))", tree("not a in b"));
        assertEquals("(not (not in a b))", tree("not a not in b"));
        assertEquals("(in (+ a Long:1) (>> b c))", tree("a + 1 in b >> c"));
        assertEquals("(or (and (in a b) (not in c d)) (in e f))", tree("a in b and c not in d or e in f"));
        assertEquals("(in (in a b) c)", tree("(a in b) in c"));
        assertEquals("(in x (tuple Long:1 Long:2))", tree("x in (1, 2)"));
        // for ... in and a comprehension's in stay theirs; an in inside is an operator.
        assertEquals("(comp x for x in xs if (in x ys))", tree("[x for x in xs if x in ys]"));
        assertEquals("(comp (not in x ys) for x in xs)", tree("[x not in ys for x in xs]"));
        assertEquals("(comp x for x in (in a b))", tree("[x for x in a in b]"));
        assertEquals("(for x in xs {(if (in x ys) {(call print x)})})", tree("for x in xs { if x in ys { print(x) } }"));
        assertEquals("(for i,x in (call enumerate xs) {(= y (not in x s))})", tree("for i, x in enumerate(xs) { y = x not in s }"));
        assertEquals("(= y (in x xs))", tree("y = x in\n    xs"));
        assertEquals("t.cnn:1:7: unexpected 'b'", assertThrows(CnnException.class,
                () -> Parser.parse("a not b", "t.cnn")).getMessage());
        Expr.Binary notIn = (Expr.Binary) ((Stmt.ExprStmt) Parser.parse("xs  not in ys", "t.cnn").get(0)).expr();
        assertEquals(new SourceLocation("t.cnn", 1, 5), notIn.loc());
    }

    @Test
    void forLoopsTakeNestedTuplesApart() {
        assertEquals("(for i,$0 in (call enumerate data) {(= X y $0) (call print X)})",
                tree("for i, (X, y) in enumerate(data) { print(X) }"));
        assertEquals("(for $1,d in xs {(= a $0 $1) (= b c $0)})", tree("for (a, (b, c)), d in xs { }"));
        assertEquals("(for x in xs {})", tree("for (x) in xs { }"));
        assertEquals("t.cnn:1:8: a comprehension takes plain names after for; take the tuple apart in a for loop, "
                + "or index it: [p[0] for p in pairs]", assertThrows(CnnException.class,
                () -> Parser.parse("[a for (a, b) in ps]", "t.cnn")).getMessage());
    }

    @Test
    void identityIsAComparison() {
        assertEquals("(is x none)", tree("x is none"));
        assertEquals("(is not x none)", tree("x is not none"));
        assertEquals("(not (is x none))", tree("not x is none"));
        assertEquals("(chain a is b is not c)", tree("a is b is not c"));
        assertEquals("(and (is not x none) (> x Long:0))", tree("x is not none and x > 0"));
        assertEquals("(if (is d none) {(= d Long:1)})", tree("if d is none { d = 1 }"));
        assertEquals("(= y (is x none))", tree("y = x is\n    none"));
        Expr.Binary isNot = (Expr.Binary) ((Stmt.ExprStmt) Parser.parse("x  is not y", "t.cnn").get(0)).expr();
        assertEquals(new SourceLocation("t.cnn", 1, 4), isNot.loc());
    }

    @Test
    void conditionalExpressionsBindLoosestAndNestToTheRight() {
        assertEquals("(if-else c a b)", tree("a if c else b"));
        assertEquals("(if-else c a (if-else d b e))", tree("a if c else b if d else e"));
        assertEquals("(= x (if-else (in c cs) (or a b) (not d)))", tree("x = a or b if c in cs else not d"));
        assertEquals("(comp (if-else c a b) for x in xs if x)", tree("[a if c else b for x in xs if x]"));
        assertEquals("(comp x for x in xs if (> x Long:0))", tree("[x for x in xs if x > 0]"));
        assertEquals("(call f (if-else c a b) k=(if-else d Long:1 Long:2))", tree("f(a if c else b, k=1 if d else 2)"));
        assertEquals("(= y (if-else c a b))", tree("y = a if c\n    else b"));
        assertEquals("(return (if-else (< n Long:2) n (+ n Long:1)))", tree("return n if n < 2 else n + 1"));
        assertEquals("(if c {(= x (if-else d Long:1 Long:2))} else {(= x Long:3)})",
                tree("if c { x = 1 if d else 2 } else { x = 3 }"));
        assertEquals("t.cnn:1:7: unexpected 'if'; an if inside an expression needs its else: a if c else b",
                assertThrows(CnnException.class,
                () -> Parser.parse("x = a if c", "t.cnn")).getMessage());
    }

    @Test
    void postfixOperatorsBindTightest() {
        assertEquals("(call (. (call (. X sum) dim=Long:1) item))", tree("X.sum(dim=1).item()"));
        assertEquals("(neg (index X Long:0))", tree("-X[0]"));
        assertEquals("(** (. X T) Long:2)", tree("X.T ** 2"));
        assertEquals("(call f Long:1 (* xs) k=Long:2)", tree("f(1, *xs, k=2)"));
    }

    // ------------------------------------------------------------------ literals and subscripts

    @Test
    void literalsTuplesListsAndTensorLiterals() {
        assertEquals("(tensor (list Long:1 Long:2) (list Long:3 Long:4))", tree("tensor[[1, 2], [3, 4]]"));
        assertEquals("(tensor Double:1.5 Long:-2 Double:1000.0)", tree("tensor[1.5, -2, 1e3]"));
        assertEquals("(tensor (list Long:1 Long:2))", tree("tensor[[1, 2],]"));
        assertEquals("(tuple)", tree("()"));
        assertEquals("(tuple Long:1)", tree("(1,)"));
        assertEquals("Long:1", tree("(1)"));
        assertEquals("(tuple Long:1 Long:2)", tree("1, 2"));
        assertEquals("(list)", tree("[]"));
        assertEquals("(list 'a' 'b' 'it's')", tree("['a', \"b\", 'it\\'s']"));
        assertEquals("(list Boolean:true Boolean:false none)", tree("[true, false, none]"));
        assertEquals("Long:7", tree("007"));
        assertEquals("BigInteger:123456789012345678901234567890", tree("123456789012345678901234567890"));
    }

    @Test
    void subscriptsSlicesAndEllipsis() {
        assertEquals("(index X Long:0)", tree("X[0]"));
        assertEquals("(index X (: Long:1 _ _) (: _ _ Long:2) Long:0)", tree("X[1:, ::2, 0]"));
        assertEquals("(index X (: _ _ _))", tree("X[:]"));
        assertEquals("(index X ... Long:-1)", tree("X[..., -1]"));
        assertEquals("(index X (: (neg n) _ _))", tree("X[-n:]"));
        assertEquals("(index (index X Long:0) Long:1)", tree("X[0][1]"));
        assertEquals("(index X (index i Long:0))", tree("X[i[0]]"));
    }

    @Test
    void comprehensions() {
        assertEquals("(comp (* x Long:2) for x in (call range Long:3))", tree("[x * 2 for x in range(3)]"));
        assertEquals("(comp (tuple i j) for i,j in pairs if (> i j))", tree("[(i, j) for i, j in pairs if i > j]"));
        assertEquals("(comp (comp (* i j) for j in b) for i in a)", tree("[[i * j for j in b] for i in a]"));
        assertEquals("(tensor (comp x for x in xs))", tree("tensor[[x for x in xs]]"));
    }

    // ------------------------------------------------------------------ statements

    @Test
    void assignmentsAndAugmentedAssignments() {
        assertEquals("(= x Long:1)", tree("x = 1"));
        assertEquals("(= a b (tuple b a))", tree("a, b = b, a"));
        assertEquals("(= (index X Long:0 (: _ _ _)) Long:0)", tree("X[0, :] = 0"));
        assertEquals("(= (. net w) (call zeros Long:3))", tree("net.w = zeros(3)"));
        assertEquals("(-= w (* lr (. w grad)))", tree("w -= lr * w.grad"));
        assertEquals("(//= n Long:2)", tree("n //= 2"));
        assertEquals("(= x Long:1)\n(= y Long:2)", tree("x = 1; y = 2"));
    }

    @Test
    void blocksFunctionsAndLayers() {
        assertEquals("(if (> x Long:0) {(= y Long:1)} else {(if (< x Long:0) {(= y Long:-1)} else {(= y Long:0)})})",
                tree("if x > 0 { y = 1 } else if x < 0 { y = -1 } else { y = 0 }"));
        assertEquals("(for i in (call range Long:3) {(if (== i Long:1) {(continue)}) (break)})",
                tree("for i in range(3) {\n  if i == 1 { continue }\n  break\n}"));
        assertEquals("(while Boolean:true {(+= n Long:1)})", tree("while true { n += 1 }"));
        assertEquals("(fn area [w h=Long:1] {(return (* w h))})", tree("fn area(w, h=1) {\n  return w * h\n}"));
        assertEquals("(fn f [] {(return)})", tree("fn f() { return }"));
        assertEquals("(layer Block [c] {(= (. self conv) (call Conv c c Long:3))} "
                        + "(fn forward [x] {(return (call relu (call (. self conv) x)))}))",
                tree("layer Block(c) {\n  self.conv = Conv(c, c, 3)\n  forward(x) { return relu(self.conv(x)) }\n}"));
    }

    /** tensor(...) is a call of the built-in tensor (torch.tensor); tensor[...] stays the literal. */
    @Test
    void tensorCallsTheBuiltinAndTensorBracketIsTheLiteral() {
        assertEquals("(call tensor (list (list Long:1 Long:2) (list Long:3 Long:4)))", tree("tensor([[1, 2], [3, 4]])"));
        assertEquals("(call tensor (list Double:1.0 Double:2.0) dtype='float64')",
                tree("tensor([1.0, 2.0], dtype=\"float64\")"));
        assertEquals("(call tensor Double:3.5)", tree("tensor(3.5)"));
        assertEquals("(call tensor xs requires_grad=Boolean:true)", tree("tensor(xs, requires_grad=true)"));
        assertEquals("(. (call tensor (list Long:1)) shape)", tree("tensor([1]).shape"));
        assertEquals("(index (call tensor (list Long:1)) Long:0)", tree("tensor([1])[0]"));
        assertEquals("(call tensor (tensor Long:1))", tree("tensor(tensor[1])"));
        assertEquals("(tensor Long:1 Long:2)", tree("tensor[1, 2]"));
        assertEquals("(call tensor)", tree("tensor()"));
    }

    /**
     * layer is a keyword only where it defines a layer (layer Name( at the start of a statement),
     * so a variable, a parameter or a loop name may be called layer, as in PyTorch code.
     */
    @Test
    void layerIsAKeywordOnlyBeforeALayersName() {
        assertEquals("(for layer in (call (. net children)) {(call print layer)})",
                tree("for layer in net.children() { print(layer) }"));
        assertEquals("(= layer (call Linear Long:2 Long:3))", tree("layer = Linear(2, 3)"));
        assertEquals("(call layer x)", tree("layer(x)"));
        assertEquals("(= y (call (. layer forward) x))", tree("y = layer.forward(x)"));
        assertEquals("(fn apply [layer x] {(return (call layer x))})", tree("fn apply(layer, x) { return layer(x) }"));
        assertEquals("(+= layer Long:1)", tree("layer += 1"));
        assertEquals("(list (comp (call layer x) for layer in layers))", tree("[[layer(x) for layer in layers]]"));
        assertEquals("(layer Twice [] {} (fn forward [x] {(return (* Long:2 x))}))",
                tree("layer Twice() {\n  forward(x) { return 2 * x }\n}"));
        assertEquals("(layer Outer [] {(layer Inner [] {} ) (= layer (call Inner))} )",
                tree("layer Outer() {\n  layer Inner() { }\n  layer = Inner()\n}"));
        assertTrue(syntaxError("foo Bar(x) { }").detail().startsWith("unexpected 'Bar'"));
        assertTrue(syntaxError("layer Net").detail().startsWith("unexpected 'Net'"));
    }

    @Test
    void multiLineInputInsideBracketsAndAfterOperators() {
        assertEquals("(= x (+ Long:1 Long:2))", tree("x = (1 +\n  2)"));
        assertEquals("(call f Long:1 Long:2)", tree("f(\n  1,\n  2,\n)"));
        assertEquals("(= x Long:1)\n(= y Long:2)", tree("\n\nx = 1  # one\n\n# two\ny = 2\n"));
    }

    // ------------------------------------------------------------------ locations

    @Test
    void everyNodeKnowsWhereItStarts() {
        List<Stmt> program = Parser.parse("x = 1\nif x {\n  y = f(x) + 2\n}", "m.cnn");
        assertEquals(new SourceLocation("m.cnn", 1, 1), program.get(0).loc());
        Stmt.If branch = (Stmt.If) program.get(1);
        assertEquals(new SourceLocation("m.cnn", 2, 1), branch.loc());
        Stmt.Assign inner = (Stmt.Assign) branch.then().get(0);
        assertEquals(new SourceLocation("m.cnn", 3, 3), inner.loc());
        Expr.Binary sum = (Expr.Binary) inner.value();
        // A binary node is placed at its operator, where an error of the operation points.
        assertEquals(new SourceLocation("m.cnn", 3, 12), sum.loc());
        assertEquals(new SourceLocation("m.cnn", 3, 7), sum.left().loc());
    }

    // ------------------------------------------------------------------ syntax errors, located

    @Test
    void syntaxErrorsAreLocatedAndSayWhatWasFound() {
        CnnException e = syntaxError("x = 1\ny = (2 +\n");
        assertEquals("<test>:2:5: '(' is never closed", e.getMessage());
        e = syntaxError("x = = 2");
        assertEquals("<test>", e.file());
        assertEquals(1, e.line());
        assertEquals(5, e.column());
        assertTrue(e.detail().startsWith("unexpected '='"), e.detail());
        e = syntaxError("x = 1 $ 2");
        assertEquals("<test>:1:7: unexpected character '$'", e.getMessage());
        e = syntaxError("f(a=1, 2)");
        assertEquals("<test>:1:8: a positional argument cannot follow a keyword argument", e.getMessage());
        e = syntaxError("fn f(a=1, b) { }");
        assertEquals(1, e.line());
        assertEquals("parameter 'b' without a default follows one with a default", e.detail());
        e = syntaxError("1 = x");
        assertEquals(1, e.line());
        assertTrue(e.detail().startsWith("cannot assign to this expression"), e.detail());
    }

    @Test
    void pythonHabitsGetAHint() {
        assertTrue(syntaxError("def f(x):\n  return x").detail().endsWith("; cnnscript defines functions as fn f(x) { ... }"));
        assertTrue(syntaxError("import torch").detail().endsWith("; cnnscript needs no imports: its built-ins are always there"));
        assertTrue(syntaxError("if x == 1:\n  y = 2").detail().endsWith("; blocks go in braces: if x == 1 { ... }"));
    }

    @Test
    void incompleteInputIsToldApartFromWrongInput() {
        for (String open : List.of("fn f(x) {", "y = [1,", "z = (2 +", "X >>", "a = 1 +")) {
            assertTrue(Parser.isIncomplete(open), open);
        }
        for (String done : List.of("x = 1", "fn f(x) {\n  return x\n}", "x = = 1", "s = 'open")) {
            assertFalse(Parser.isIncomplete(done), done);
        }
    }
}

package io.cnnscript.diff;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The differential generators: for every documented built-in, operator, method and layer, a
 * function that writes a small random cnnscript program. The same text, with tensor literals
 * rewritten, is Python over prelude.py, so each program means one thing in both languages.
 * Keys are the built-ins' names as docs/BUILTINS.md lists them ({@code X.sum},
 * {@code list.append}, {@code Conv}); other keys name language features.
 */
final class Programs {

    private Programs() {}

    static final Map<String, Function<Gen, String>> ALL = new LinkedHashMap<>();

    private static void add(String topic, Function<Gen, String> gen) {
        ALL.put(topic, gen);
    }

    /** Topics whose warnings (PyTorch's UserWarning, cnnscript's located warning) must agree too. */
    static final java.util.Set<String> WARNINGS_COMPARED = java.util.Set.of("CrossEntropy", "MSE", "L1");

    /** Built-ins that have a generator through another topic's programs. */
    static final Map<String, String> COVERED_BY = Map.of(
            "Pool", "MaxPool",
            "X.view", "X.reshape");

    /**
     * Built-ins whose answer PyTorch cannot give (their output is cnnscript's own format, or
     * they read data or time). Each is named with the reason; the coverage test accepts nothing else.
     */
    static final Map<String, String> NO_PYTORCH_EQUIVALENT = Map.ofEntries(
            Map.entry("summary", "prints cnnscript's own table (PyTorch has no summary)"),
            Map.entry("train", "prints timings and a progress bar; its parts (step, losses, layers) are generated"),
            Map.entry("plot", "draws a PNG"),
            Map.entry("show", "draws pictures (a PNG or the terminal)"),
            Map.entry("fashion_mnist", "reads the data set files; FashionMnistTest checks it against the files"),
            Map.entry("evaluate", "needs a data set iterator from fashion_mnist"),
            Map.entry("help", "prints cnnscript's own help text"),
            Map.entry("exit", "ends the session"),
            Map.entry("quit", "ends the session"),
            Map.entry("SummaryWriter", "writes TensorBoard files; SummaryWriterTest decodes them"));

    static {
        // ---------------------------------------------------------------- general
        add("print", g -> "print(" + g.anyTensor(0, 2) + ", " + g.num() + ", \"s\", true, none, [1, 2.5, 's'], (1,)"
                + (g.p(0.5) ? ", sep=" + g.pick("'-'", "''", "', '") : "")
                + (g.p(0.3) ? ", end=" + g.pick("'!\\n'", "'\\n\\n'") : "") + ")");
        add("range", g -> "print(list(range(" + g.pick(
                Integer.toString(g.i(-3, 8)),
                g.i(-3, 5) + ", " + g.i(-3, 8),
                g.i(-5, 8) + ", " + g.i(-5, 8) + ", " + g.pick(1, 2, 3, -1, -2, 0)) + ")), len(range(" + g.i(0, 9) + ")))");
        add("len", g -> "print(len(" + g.pick(g.anyTensor(0, 3), "[1, 2, 3]", "(1,)", "'text'", "range(2, 7)", "[]") + "))");
        add("str", g -> "print(str(" + value(g) + "))");
        add("repr", g -> "print(repr(" + value(g) + "))");
        add("type", g -> "print(type(" + value(g) + "))");
        add("int", g -> "print(int(" + g.pick(g.fnum(), g.inum(), "'12'", "' -3 '", "'1.5'", "true", "'x'",
                g.tensor(new int[] {1}, g.kind()), g.anyTensor(0, 0), g.anyTensor(2, 2)) + "))");
        add("float", g -> "print(float(" + g.pick(g.fnum(), g.inum(), "'12'", "'1.5'", "' 2e-3 '", "'inf'", "'x'", "false",
                g.tensor(new int[] {1}, g.kind()), g.anyTensor(0, 0), g.anyTensor(2, 2)) + "))");
        add("bool", g -> "print(bool(" + g.pick(g.fnum(), g.inum(), "''", "'a'", "[]", "[0]", "()", "none",
                g.tensor(new int[] {1}, g.kind()), g.anyTensor(0, 0), g.anyTensor(2, 2)) + "))");
        add("abs", g -> "print(abs(" + g.pick(g.num(), g.anyTensor(0, 3)) + "))");
        add("divmod", g -> "print(divmod(" + g.pick(g.num(), "7", "-7", "7.5", "-0.5") + ", " + g.pick(g.num(), "2", "-2", "0.5", "0") + "))");
        add("round", g -> "print(round(" + g.pick("2.5", "3.5", "-2.5", "0.125", "1.23456", g.fnum(), g.inum())
                + (g.p(0.5) ? ", " + g.i(-1, 3) : "") + "))");
        add("min", g -> "print(min(" + g.pick(g.num() + ", " + g.num() + ", " + g.num(), "[" + g.num() + ", " + g.num() + "]",
                "'hello'", "[]") + "))");
        add("max", g -> "print(max(" + g.pick(g.num() + ", " + g.num() + ", " + g.num(), "[" + g.num() + ", " + g.num() + "]",
                "'hello'", "[]") + "))");
        add("sum", g -> "print(sum(" + g.pick("[" + g.num() + ", " + g.num() + "]", "(" + g.num() + ", " + g.num() + ")",
                "[" + g.floatTensor(1, 2) + ", " + g.num() + "]", "[]") + (g.p(0.4) ? ", " + g.num() : "") + "))");
        add("list", g -> "print(list(" + g.pick("", "(1, 2)", "range(3)", "'ab'", g.anyTensor(1, 2), "[1, [2]]") + "))");
        add("tuple", g -> "print(tuple(" + g.pick("", "[1, 2]", "range(3)", "'ab'", "(1,)") + "))");
        add("enumerate", g -> "print(list(enumerate(" + g.pick("[4, 5]", "'ab'", "(1.5,)", "range(3)") + (g.p(0.5) ? ", " + g.inum() : "") + ")))");
        add("zip", g -> "print(list(zip(" + g.pick("[1, 2], 'abc'", "[1], [2], [3]", "range(3), [4, 5, 6]", "[]") + ")))");
        add("sorted", g -> "print(sorted(" + g.pick("[" + g.num() + ", " + g.num() + ", " + g.num() + "]", "'cab'", "(3, 1, 2)",
                "[1, 'a']") + "))");
        add("time", g -> "t = time()\nprint(type(t), time() - t >= 0)");

        // ---------------------------------------------------------------- tensors
        add("zeros", g -> creator(g, "zeros"));
        add("ones", g -> creator(g, "ones"));
        add("full", g -> "X = full(" + Gen.shapeText(g.shape(0, 3)) + ", " + g.pick(g.inum(), g.fnum(), "true")
                + (g.p(0.3) ? ", dtype=" + dtype(g) : "") + ")\nprint(X, X.dtype)");
        add("rand", g -> "seed(" + g.i(0, 99) + ")\nX = rand(" + Gen.sizesText(g.shape(1, 3)) + ")\nprint(X, X.dtype)");
        add("randn", g -> "seed(" + g.i(0, 99) + ")\nX = randn(" + (g.p(0.5) ? Gen.sizesText(g.shape(1, 3)) : Gen.shapeText(g.shape(1, 3)))
                + ")\nprint(X, X.dtype)");
        add("seed", g -> {
            int s = g.i(0, 1000);
            return "seed(" + s + ")\na = randn(3)\nseed(" + s + ")\nprint(a, randn(3), rand(2))";
        });
        add("arange", g -> {
            String args = g.pick(
                    Integer.toString(g.i(-2, 8)),
                    g.i(-4, 6) + ", " + g.i(-4, 8),
                    g.i(-4, 6) + ", " + g.i(-4, 8) + ", " + g.pick(1, 2, 3, -1, -2, 0),
                    g.fnum() + ", " + g.fnum() + ", " + g.pick("0.5", "0.25", "-0.5", "1"),
                    g.pick("2.5", "0.5", "4.0"));
            return "X = arange(" + args + (g.p(0.3) ? ", dtype=" + dtype(g) : "") + ")\nprint(X, X.dtype)";
        });
        add("eye", g -> "print(eye(" + g.i(0, 4) + (g.p(0.5) ? ", " + g.i(0, 4) : "") + "))");
        add("zeros_like", g -> "X = zeros_like(" + g.anyTensor(0, 3) + ")\nprint(X, X.dtype)");
        add("ones_like", g -> "X = ones_like(" + g.anyTensor(0, 3) + ")\nprint(X, X.dtype)");
        add("as_tensor", g -> "X = as_tensor(" + g.pick("[[1, 2], [3, 4]]", "[1.5, 2]", "[true, false]", g.inum(), g.fnum(), "[]", "[[1], [2, 3]]")
                + (g.p(0.3) ? ", dtype=" + dtype(g) : "") + ")\nprint(X, X.dtype)");
        add("tensor", g -> {
            String data = g.pick("[[1, 2], [3, 4]]", "[1.5, 2]", "[true, false]", g.inum(), g.fnum(), "[]", "[[1], [2, 3]]",
                    "(1, 2.5)", "[[1, 2], (3, 4)]", "true", "[[[]]]");
            String options = g.pick("", "", ", dtype=" + dtype(g), ", requires_grad=true",
                    ", dtype=" + dtype(g) + ", requires_grad=" + g.pick("true", "false"));
            return "X = tensor(" + data + options + ")\nprint(X, X.dtype, X.requires_grad)";
        });
        add("stack", g -> joinOp(g, "stack"));
        add("cat", g -> joinOp(g, "cat"));
        add("matmul", g -> {
            int n = g.i(1, 3), k = g.i(1, 3), m = g.i(1, 3);
            int[] a = g.pick(new int[] {n, k}, new int[] {k}, new int[] {2, n, k});
            int[] b = g.pick(new int[] {g.p(0.9) ? k : k + 1, m}, new int[] {k});
            String kind = g.pick("float", "float", "int", "double");
            return "A = " + g.tensor(a, kind) + "\nB = " + g.tensor(b, g.p(0.85) ? kind : g.kind()) + "\nprint("
                    + g.pick("matmul(A, B)", "A @ B") + ")";
        });
        add("corr2d", g -> "print(corr2d(" + g.tensor(new int[] {g.i(1, 4), g.i(1, 5)}, g.pick("float", "int"))
                + ", " + g.tensor(new int[] {g.i(1, 3), g.i(1, 3)}, g.pick("float", "int")) + "))");

        // ---------------------------------------------------------------- autograd
        add("param", g -> {
            int[] s = g.shape(1, 3);
            return "w = param(" + g.tensor(s, g.pick("float", "float", "float", "double", "int")) + ")\nprint(w, w.grad)";
        });
        add("backward", Programs::gradient);
        add("zero_grad", g -> "w = param(" + g.floatTensor(1, 2) + ")\nbackward((w * 3).sum())\nzero_grad(w)\nprint(w.grad)\n"
                + "backward((w * w).sum())\nprint(w.grad)");

        // ---------------------------------------------------------------- layers
        add("Conv", g -> {
            int groups = g.pick(1, 1, 1, 2);
            int c = groups * g.i(1, 2), o = groups * g.i(1, 2), k = g.i(1, 3), h = g.i(k, 5), w = g.i(k, 5), n = g.i(1, 2);
            boolean bias = g.p(0.8);
            boolean unbatched = g.p(0.2);
            String x = g.tensor(unbatched ? new int[] {c, h, w} : new int[] {n, c, h, w}, g.p(0.9) ? "float" : "int");
            return (unbatched ? "# unbatched\n" : "# batch of " + n + "\n") + "seed(" + g.i(0, 99) + ")\nL = Conv(" + c + ", " + o + ", " + g.pick(Integer.toString(k), "(" + k + ", 1)")
                    + (g.p(0.4) ? ", stride=" + g.pick("1", "2", "(2, 1)") : "") + (g.p(0.4) ? ", padding=" + g.pick("0", "1", "(1, 0)") : "")
                    + (groups > 1 || g.p(0.05) ? ", groups=" + groups : "") + (bias ? "" : ", bias=false")
                    + ")\nX = param(" + x + ".float())\nY = L(X)\nprint(Y)\nbackward((Y * Y).sum())\nprint(L.weight.grad, "
                    + (bias ? "L.bias.grad, " : "") + "X.grad)";
        });
        add("MaxPool", g -> pool(g, g.pick("MaxPool", "Pool")));
        add("AvgPool", g -> pool(g, "AvgPool"));
        add("Linear", g -> {
            int in = g.i(1, 4), out = g.i(1, 3);
            boolean bias = g.p(0.8);
            return "seed(" + g.i(0, 99) + ")\nL = Linear(" + in + ", " + out + (bias ? "" : ", bias=false") + ")\nX = param("
                    + g.tensor(new int[] {g.i(1, 3), g.p(0.9) ? in : in + 1}, "float")
                    + ")\nY = L(X)\nprint(Y)\nbackward((Y * Y).sum())\nprint(L.weight.grad, " + (bias ? "L.bias.grad, " : "") + "X.grad)";
        });
        add("Dropout", g -> {
            // Evaluation mode gives the input (any p); training with p 0 or 1 is exact too.
            boolean eval = g.p(0.5);
            return "L = Dropout(" + (eval ? g.pick("0.5", "p=0.2", "0.9") : g.pick("0.0", "1.0", "p=0.0")) + ")\n"
                    + (eval ? "L.eval()\n" : "") + "X = param(" + g.floatTensor(1, 3) + ")\nY = L(X)\nprint(Y)\n"
                    + "backward((Y * 2).sum())\nprint(X.grad)";
        });
        add("BatchNorm", g -> {
            int c = g.i(1, 3);
            boolean flat = g.p(0.5);
            int[] s = flat ? new int[] {g.i(2, 4), c} : new int[] {g.i(1, 3), c, g.i(1, 3), g.i(2, 3)};
            if (g.p(0.5)) {
                return "L = BatchNorm(" + c + ")\nX = param(" + g.tensor(s, "float") + ")\nY = L(X)\nprint(Y)\n"
                        + "backward((Y * arange(Y.numel()).reshape(Y.shape)).sum())\nprint(X.grad)";
            }
            // Two training batches update the running statistics (eps and momentum as given), which
            // evaluation then uses.
            String opts = g.p(0.4) ? ", eps=" + g.pick("0.1", "0.001") : "";
            opts += g.p(0.4) ? ", momentum=" + g.pick("0.5", "0.9", "1.0") : "";
            return "L = BatchNorm(" + c + opts + ")\nL(" + g.tensor(s, "float") + ")\nL(" + g.tensor(s, "float") + ")\n"
                    + "print(L.running_mean, L.running_var, L.num_batches_tracked)\nL.eval()\nX = param(" + g.tensor(s, "float")
                    + ")\nY = L(X)\nprint(Y)\nbackward((Y * arange(Y.numel()).reshape(Y.shape)).sum())\nprint(X.grad, L.weight.grad, L.bias.grad)";
        });
        for (String act : List.of("Sigmoid", "ReLU", "Tanh")) {
            add(act, g -> "L = " + act + "()\nX = param(" + g.floatTensor(1, 3) + ")\nY = L(X)\nprint(Y)\nbackward(Y.sum())\nprint(X.grad)");
        }
        add("Softmax", g -> "L = Softmax(" + g.pick("", "dim=0", "dim=-1", "dim=1") + ")\nX = param(" + g.floatTensor(1, 3)
                + ")\nY = L(X)\nprint(Y)\nbackward((Y * arange(Y.numel()).reshape(Y.shape)).sum())\nprint(X.grad)");
        add("Flatten", g -> {
            int[] s = g.shape(2, 4);
            return "L = Flatten(" + g.pick("", "start_dim=0", "start_dim=" + g.dim(s.length), "end_dim=" + g.dim(s.length)) + ")\nprint(L("
                    + g.tensor(s, "float") + ").shape)";
        });
        add("Sequential", g -> {
            int in = g.i(1, 4);
            String net = g.p(0.5) ? "Sequential(Linear(" + in + ", 3), " + g.pick("ReLU()", "Sigmoid()", "Tanh()") + ", Linear(3, 2))"
                    : "Linear(" + in + ", 3) >> " + g.pick("ReLU()", "Sigmoid()", "Tanh()") + " >> Linear(3, 2)";
            return "seed(" + g.i(0, 99) + ")\nnet = " + net + "\nY = net(" + g.tensor(new int[] {g.i(1, 3), in}, "float") + ")\nprint(Y)";
        });
        add("save", g -> saveLoad(g));
        add("load", g -> saveLoad(g));

        // ---------------------------------------------------------------- training
        add("SGD", g -> optimizer(g, "SGD(lr=" + g.pick("0.1", "0.1", "0.5", "0", "-0.1") + sgdOptions(g) + ", params=L)"));
        add("Adam", g -> optimizer(g, "Adam(" + g.pick("lr=0.001", "lr=0.01", "lr=0.1", "lr=-0.01") + adamOptions(g) + ", params=L)"));
        add("step", g -> optimizer(g, g.pick("SGD(lr=0.5, params=L)", "Adam(lr=0.5, params=L)")));
        add("CrossEntropy", Programs::crossEntropy);
        add("MSE", g -> pointwiseLoss(g, "MSE"));
        add("L1", g -> pointwiseLoss(g, "L1"));

        // ---------------------------------------------------------------- tensor methods
        for (String m : List.of("sum", "mean", "max", "min", "prod")) {
            add("X." + m, g -> reduction(g, m));
        }
        for (String m : List.of("abs", "exp", "log", "sqrt", "sigmoid", "relu", "tanh")) {
            add("X." + m, g -> "X = " + g.anyTensor(0, 3) + "\nY = X." + m + "()\nprint(Y, Y.dtype)\n"
                    + "w = param(" + g.floatTensor(1, 2) + ")\nbackward(w." + m + "().sum())\nprint(w.grad)");
        }
        add("X.softmax", g -> {
            int[] s = g.shape(0, 3);
            return "X = " + g.tensor(s, g.kind()) + "\nprint(X.softmax(" + g.dim(s.length) + "))";
        });
        add("X.norm", g -> "X = " + g.anyTensor(0, 3) + "\nprint(X.norm())");
        add("X.reshape", g -> {
            int[] s = g.shape(0, 3);
            int n = 1;
            for (int d : s) {
                n *= d;
            }
            String target = g.pick("" + n, "-1", "1, " + n, n + ", 1", "-1, 1", "(" + n + ",)", "(1, -1)", "1, 1, -1", "" + (n + 1), "-1, -1");
            return "X = " + g.tensor(s, g.kind()) + "\nprint(X." + g.pick("reshape", "view") + "(" + target + "))";
        });
        for (String m : List.of("float", "double", "long", "int", "bool")) {
            add("X." + m, g -> "X = " + g.anyTensor(0, 2) + "." + m + "()\nprint(X, X.dtype)");
        }
        add("X.item", g -> "print(" + g.pick(g.anyTensor(0, 0), g.tensor(new int[] {1}, g.kind()), g.anyTensor(2, 2)) + ".item())");
        add("X.tolist", g -> "print(" + g.anyTensor(0, 3) + ".tolist())");
        add("X.numel", g -> "print(" + g.anyTensor(0, 3) + ".numel())");
        add("X.dim", g -> "print(" + g.anyTensor(0, 3) + ".dim())");
        add("X.size", g -> {
            int[] s = g.shape(0, 3);
            return "print(" + g.tensor(s, g.kind()) + ".size(" + (g.p(0.5) ? g.dim(s.length) : "") + "))";
        });
        for (String m : List.of("argmax", "argmin")) {
            add("X." + m, g -> {
                int[] s = g.shape(0, 3);
                return "print(" + g.tensor(s, g.pick("float", "int")) + "." + m + "(" + (g.p(0.6) ? g.dim(s.length) : "") + "))";
            });
        }
        add("X.t", g -> "print(" + g.anyTensor(0, 4) + ".t())");
        add("X.transpose", g -> {
            int[] s = g.shape(0, 4);
            return "print(" + g.tensor(s, g.kind()) + ".transpose(" + g.dim(s.length) + ", " + g.dim(s.length) + "))";
        });
        add("X.flatten", g -> {
            int[] s = g.shape(0, 4);
            return "print(" + g.tensor(s, g.kind()) + ".flatten(" + (g.p(0.7) ? g.p(0.2) ? "" + pickOut(g, s.length) : g.dim(s.length) : "") + "))";
        });
        add("X.squeeze", g -> {
            int[] s = g.shape(0, 4);
            return "print(" + g.tensor(s, g.kind()) + ".squeeze(" + (g.p(0.6) ? g.dim(s.length) : "") + ").shape)";
        });
        add("X.unsqueeze", g -> {
            int[] s = g.shape(0, 3);
            return "print(" + g.tensor(s, g.kind()) + ".unsqueeze(" + g.dim(s.length + 1) + "))";
        });
        add("X.detach", g -> "w = param(" + g.floatTensor(1, 2) + ")\nd = (w * 2).detach()\nprint(d, w.detach())");
        add("X.requires_grad_", g -> {
            String x = g.tensor(g.shape(0, 2), g.pick("float", "float", "double", "int", "bool"));
            String flag = g.pick("", "", "true", "false", "requires_grad=false", "1");
            String op = g.pick("X * 2", "X.sum()", "X.detach()", "X.data", "X[0]", "X.reshape(-1)", "X.exp()",
                    "X + X", "X.abs()", "X.float()", "X.double()", "X.T", "X.t()", "X.long()", "X > 0", "X.argmax()", "X.clone()",
                    "param(X.float())", "cat([X.reshape(-1)])", "X.flip(0)", "X.var()", "X.sum(0)");
            return "X = " + x + "\nprint(X.requires_grad, X.is_leaf)\nY = X.requires_grad_(" + flag + ")\n"
                    + "print(Y.requires_grad, X.requires_grad, X.is_leaf, Y)\nZ = " + op + "\nprint(Z.requires_grad, Z.is_leaf)\n"
                    + "Z.requires_grad_(" + g.pick("", "true", "false") + ")\nprint(Z.requires_grad, Z.is_leaf, Z)";
        });
        add("requires_grad", g -> {
            String made = g.pick("param(" + g.floatTensor(1, 2) + ")", "Linear(2, 3).weight", "Conv(1, 2, 3).bias",
                    g.floatTensor(1, 2), "zeros(2, 3)", "arange(4)");
            String op = g.pick("w * 2", "w.sum()", "w.detach()", "w.data", "w - w", "w.reshape(-1)", "w.mean()", "w @ w.T",
                    "w.relu()", "w.sigmoid()", "w.softmax(0)", "(w > 0)", "w.max()", "w.norm()", "w.clone()", "w.double()",
                    "w.float()", "w * ones(w.shape).double()", "w.double() + w");
            return "w = " + made + "\nprint(w.requires_grad, w.is_leaf)\nv = " + op + "\nprint(v.requires_grad, v.is_leaf)\n"
                    + "w.requires_grad_(false)\nu = " + op + "\nprint(w.requires_grad, w.is_leaf, u.requires_grad, u.is_leaf)";
        });
        add("copies keep the graph", g -> {
            String w = g.pick("param(" + g.tensor(g.shape(0, 2), g.pick("float", "double")) + ")", "Linear(2, 2).weight");
            String op = g.pick("w.clone()", "w.double()", "w.float()", "w.T", "w.t()", "cat([w.reshape(-1)])", "w.flip(0)",
                    "w * ones(w.shape).double()", "w.double() + w", "w.float() * tensor[2.0].double()", "w.sum(0)");
            return "w = " + w + "\nv = " + op + "\nprint(v.dtype, v.requires_grad, v.is_leaf)\nbackward((v * 3).sum() + w.sum())\n"
                    + "print(w.grad)";
        });
        add("X.clone", g -> "X = " + g.anyTensor(1, 2) + "\nY = X.clone()\nY[0] = 1\nprint(X, Y)");
        add("X.zero_", g -> "X = " + g.anyTensor(0, 2) + "\nY = X\nX.zero_()\nprint(Y)");
        add("X.fill_", g -> "X = " + g.anyTensor(0, 2) + "\nY = X\nprint(X.fill_(" + g.pick(g.inum(), g.fnum(), "true") + "))\nprint(Y)");
        add("X.any", g -> "print(" + g.anyTensor(0, 3) + ".any())");
        add("X.all", g -> "print(" + g.anyTensor(0, 3) + ".all())");

        // ---------------------------------------------------------------- list and string methods
        add("list.append", g -> "xs = [1, 'a']\nxs.append(" + g.num() + ")\nprint(xs)");
        add("list.extend", g -> "xs = [1]\nxs.extend(" + g.pick("[2, 3]", "(4,)", "[]") + ")\nprint(xs)");
        add("list.pop", g -> "xs = [1, 2, 3]\nprint(xs.pop(" + g.pick("", "0", "-2", "5") + "), xs)");
        add("list.insert", g -> "xs = [1, 2, 3]\nxs.insert(" + g.pick("0", "-1", "9", "-9", "1") + ", " + g.num() + ")\nprint(xs)");
        add("list.remove", g -> "xs = [4, 5, 4.0]\nxs.remove(" + g.i(3, 6) + ")\nprint(xs)");
        add("list.count", g -> "xs = [4, 5, 4.0, true]\nprint(xs.count(" + g.pick("4", "1", "5.0", "'a'") + "))");
        add("list.sort", g -> "xs = [" + g.num() + ", " + g.num() + ", " + g.num() + "]\nxs.sort(" + g.pick("", "reverse=true", "key=abs",
                "key=abs, reverse=true") + ")\nprint(xs)");
        add("list.reverse", g -> "xs = " + g.pick("[1, 2, 3]", "[]", "['a']") + "\nys = xs\nxs.reverse()\nprint(ys)");
        add("list.clear", g -> "xs = " + g.pick("[1, 2, 3]", "[]") + "\nys = xs\nxs.clear()\nprint(ys)");
        add("list.copy", g -> "xs = [1, [2]]\nys = xs.copy()\nys.append(3)\nys[1].append(4)\nprint(xs, ys)");
        add("list.index", g -> "xs = [4, 5, 4]\nprint(xs.index(" + g.i(3, 6) + "))");
        add("string.upper", g -> "print('aBc 1'.upper())");
        add("string.lower", g -> "print('aBc 1'.lower())");
        add("string.strip", g -> "print('[' + '  a b \\n'.strip() + ']')");
        add("string.join", g -> "print(" + g.pick("', '", "''", "'-'") + ".join(" + g.pick("['a', 'b']", "[]", "('x',)") + "))");
        add("string.split", g -> "print(" + g.pick("' a  b c '", "'a,b,,c'", "''") + ".split(" + g.pick("", "','", "' '") + "))");
        add("string.lstrip", g -> "print(" + g.pick("'  a b  '", "'xxaxx'", "''") + ".lstrip(" + g.pick("", "'x'", "' a'") + ") + '|')");
        add("string.rstrip", g -> "print(" + g.pick("'  a b  '", "'xxaxx'", "''") + ".rstrip(" + g.pick("", "'x'", "' b'") + ") + '|')");
        add("string.replace", g -> "print(" + g.pick("'hello'", "'aaaa'", "''") + ".replace(" + g.pick("'l', 'L'", "'aa', 'b'", "'', '-'", "'x', 'y'")
                + g.pick("", ", 1", ", 0", ", -1") + "))");
        add("string.find", g -> "print(" + g.pick("'abcabc'", "'héllo'", "''") + ".find(" + g.pick("'c'", "'l'", "''", "'x'") + "))");
        add("string.index", g -> "print(" + g.pick("'abcabc'", "'héllo'", "''") + ".index(" + g.pick("'c'", "'l'", "''", "'x'") + "))");
        add("string.count", g -> "print(" + g.pick("'abcabc'", "'aaaa'", "''") + ".count(" + g.pick("'a'", "'aa'", "''", "'x'") + "))");
        add("string.endswith", g -> "print('x.py'.endswith(" + g.pick("'.py'", "'x'", "''") + "))");
        add("any", g -> "print(any(" + g.pick("[0, 1]", "[]", "range(0)", "'ab'", "[none, 0.0, '']", "tensor[0, 1]", "ones(2, 2)") + "))");
        add("all", g -> "print(all(" + g.pick("[1, 0]", "[]", "range(1, 4)", "''", "[1, 'a', [0]]", "tensor[1, 1]", "zeros(2, 2)") + "))");
        add("reversed", g -> "print(list(reversed(" + g.pick("[1, 2, 3]", "'abc'", "range(4)", "(1,)", "[]") + ")))");
        add("ord", g -> "print(ord(" + g.pick("'A'", "'é'", "'🎉'", "'ab'", "''") + "))");
        add("chr", g -> "print(chr(" + g.pick("65", "233", "127881", "-1", "1114112") + "))");
        add("string.startswith", g -> "print('tensor'.startswith(" + g.pick("'ten'", "'sor'", "''") + "))");

        // ---------------------------------------------------------------- operators and language
        for (String op : List.of("+", "-", "*", "/", "**", "%", "==", "!=", "<", "<=", ">", ">=")) {
            add("op " + op, g -> binary(g, op));
        }
        add("op @", g -> {
            int k = g.i(1, 3);
            return "print(" + g.tensor(new int[] {g.i(1, 3), k}, "float") + " @ " + g.tensor(new int[] {k, g.i(1, 3)}, "float") + ")";
        });
        add("numbers", g -> "print(" + g.num() + " " + g.pick("+", "-", "*", "/", "%", "**", "<", "==") + " " + g.num() + ")");
        add("unary -", g -> "print(-" + g.anyTensor(0, 2) + ", -" + g.num() + ", not " + g.pick("true", "0", "[]") + ")");
        add("and or", g -> "print(" + g.pick("1", "0", "''", "'a'", "none") + " " + g.pick("and", "or") + " " + g.pick("2", "[]", "'b'") + ")");
        add("string %", g -> "print('%d|%5.2f|%s|%r|%x' % (" + g.inum() + ", " + g.fnum() + ", " + g.pick("'s'", "1.5", "[1]") + ", 'q', 255))");
        add("sequences", g -> "print((1, 2) + (3,), [1] * " + g.i(0, 3) + ", 'ab' * 2, [1, 2, 3][" + g.pick("-1", "1:", "::-1", "5") + "], 'text'[1:3], "
                + g.pick("2 * 'ab'", "true * [1]", "'ab' * false", "3 * (1,)", "abs(true)", "-1 * [2]") + ")");
        add("comprehension", g -> "print([x * 2 for x in " + g.pick("range(4)", g.anyTensor(1, 2)) + " if " + g.pick("true", "x > 1") + "])");
        add("index read", g -> {
            int[] s = g.shape(1, 4);
            return "X = " + g.tensor(s, g.kind()) + "\nprint(X[" + String.join(", ", g.indexList(s, true)) + "])";
        });
        add("index write", g -> {
            int[] s = g.shape(1, 3);
            return "X = " + g.tensor(s, g.pick("float", "int")) + "\nX[" + String.join(", ", g.indexList(s, true)) + "] = "
                    + g.pick(g.inum(), g.fnum(), g.tensor(new int[] {1}, "float")) + "\nprint(X)";
        });
        add("mask index", g -> {
            int[] s = g.shape(1, 3);
            return "X = " + g.tensor(s, g.pick("float", "int")) + "\n" + g.pick("X[X > 0] = 0\nprint(X)", "print(X[X > 0])",
                    "print(X[X != 1].shape)");
        });
        add("index write dtypes", g -> {
            // every path of X[i] = v and X[i] op= v (basic, advanced, mask) with values of each dtype and numbers out of range
            int[] s = g.shape(1, 2);
            String target = g.tensor(s, g.pick("float", "int", "bool", "double"));
            String index = g.p(0.3) ? "X != 0" : String.join(", ", g.indexList(s, true));
            String value = g.pick(g.inum(), g.fnum(), g.pick("true", "false"), g.pick("300", "-1", "1e300", "2 ** 40"),
                    g.tensor(new int[] {1}, g.kind()), g.tensor(new int[0], g.kind()));
            return "X = " + target + "\nX[" + index + "] " + g.pick("=", "=", "=", "+=", "*=", "-=") + " " + value + "\nprint(X)";
        });
        add("augmented assignment", g -> {
            int[] s = g.shape(0, 2);
            return "X = " + g.tensor(s, g.pick("float", "int")) + "\nY = X\nX " + g.pick("+=", "-=", "*=", "/=") + " "
                    + g.pick(g.inum(), g.fnum(), g.tensor(s, g.pick("float", "int"))) + "\nprint(X, Y)";
        });
        add("attributes", g -> "X = " + g.anyTensor(0, 3) + "\nprint(X.shape, X.dtype, X.ndim, X.T)");
        add("iteration", g -> "print([r.sum() for r in " + g.anyTensor(1, 3) + "])");
        modernCnn();
    }

    /** The tensor ops and layers the modern-CNN chapter needs (issue 11). */
    private static void modernCnn() {
        add("X.permute", g -> {
            int[] s = g.shape(0, 4);
            java.util.List<Integer> order = new java.util.ArrayList<>();
            for (int i = 0; i < s.length; i++) {
                order.add(g.p(0.5) ? i : i - s.length);
            }
            java.util.Collections.shuffle(order, new java.util.Random(g.i(0, 1000)));
            if (g.p(0.1) && !order.isEmpty()) {
                order.set(0, order.size() > 1 ? order.get(1) : 5);
            }
            StringBuilder dims = new StringBuilder();
            for (int d : order) {
                dims.append(dims.length() > 0 ? ", " : "").append(d);
            }
            String t = g.tensor(s, g.kind());
            return g.p(0.7) ? "print(" + t + ".permute(" + dims + "))"
                    : "print(permute(" + t + ", (" + dims + (order.size() == 1 ? "," : "") + ")))";
        });
        add("permute", g -> "print(permute(" + g.tensor(new int[] {2, 3}, g.kind()) + ", "
                + g.pick("(1, 0)", "(0, 1)", "(-1, 0)", "(0, 0)") + "))");
        add("X.clamp", g -> "X = " + g.anyTensor(0, 2) + "\nprint(X.clamp(" + g.pick("min=" + g.num(), "max=" + g.num(),
                g.inum() + ", " + g.inum(), "min=" + g.fnum() + ", max=" + g.fnum()) + "))\nw = param(" + g.floatTensor(1, 2)
                + ")\nbackward(w.clamp(min=0).sum())\nprint(w.grad)");
        add("clamp", g -> "print(clamp(" + g.anyTensor(1, 2) + ", " + g.pick("min=" + g.num(), "max=" + g.num(),
                g.inum() + ", " + g.fnum()) + "))");
        for (String m : java.util.List.of("std", "var")) {
            add("X." + m, g -> {
                int[] s = g.shape(0, 3);
                String d = g.dim(Math.max(s.length, 1));
                String args = g.pick("", d, "unbiased=false", "dim=" + d + ", keepdim=true", d + ", false");
                return "X = " + g.tensor(s, g.pick("float", "float", "double", "int")) + "\nprint(X." + m + "(" + args + "))\n"
                        // One element: PyTorch 1.13's backward raises (a bug later versions fixed), so two or more.
                        + "w = param(" + g.tensor(new int[] {g.i(2, 3)}, "float") + ")\nbackward(w." + m + "())\nprint(w.grad)";
            });
        }
        add("X.pow", g -> "X = " + g.anyTensor(0, 2) + "\nprint(X.pow(" + g.pick("2", "0.5", "3", g.anyTensor(0, 1)) + "))");
        add("pow", g -> "print(pow(" + g.pick(g.anyTensor(0, 2), "2", "1.5") + ", " + g.pick("2", "0.5", g.anyTensor(0, 1)) + "))");
        for (String f : java.util.List.of("exp", "log", "sqrt")) {
            add(f, g -> "X = " + f + "(" + g.anyTensor(0, 2) + ")\nprint(X, X.dtype)");
        }
        add("X.repeat", g -> {
            int[] s = g.shape(0, 2);
            StringBuilder r = new StringBuilder();
            int n = s.length + g.i(g.p(0.1) ? -1 : 0, 1);
            for (int i = 0; i < Math.max(n, 0); i++) {
                r.append(r.length() > 0 ? ", " : "").append(g.i(0, 3));
            }
            return "print(" + g.tensor(s, g.kind()) + ".repeat(" + (r.length() == 0 ? "()" : r) + "))";
        });
        add("X.expand", g -> {
            int[] s = {g.i(1, 3), 1};
            return "print(" + g.tensor(s, g.kind()) + ".expand(" + g.pick(s[0] + ", 3", "-1, 2", "2, " + s[0] + ", 4", "5, 5", "-1, -1")
                    + "))";
        });
        add("linspace", g -> "print(linspace(" + g.pick("0, 1, 5", "-1, 1, 3", "2.5, -2.5, 4", "0, 10, 1", "0, 1, 0",
                g.fnum() + ", " + g.fnum() + ", " + g.i(0, 7)) + "))");
        add("mm", g -> {
            int n = g.i(1, 3), k = g.i(1, 3), m = g.i(1, 3);
            int[] b = g.pick(new int[] {k, m}, new int[] {k + 1, m}, new int[] {k});
            return "print(mm(" + g.tensor(new int[] {n, k}, "float") + ", " + g.tensor(b, "float") + "))";
        });
        add("AdaptiveAvgPool", g -> adaptive(g, "AdaptiveAvgPool(" + g.pick("1", "(1, 1)", "2", "(2, 3)", "(3, 1)") + ")"));
        add("AdaptiveMaxPool", g -> adaptive(g, "AdaptiveMaxPool(" + g.pick("1", "(1, 1)", "2", "(2, 3)", "(3, 1)") + ")"));
        add("GlobalAvgPool", g -> adaptive(g, "GlobalAvgPool()"));
        add("X.flip", g -> {
            int[] s = g.shape(0, 3);
            String d = g.dim(s.length);
            String dims = g.pick(d, d, d + ", " + g.dim(s.length), "(" + d + ",)", "(" + d + ", " + g.dim(s.length) + ")", "", "()");
            return "X = " + g.tensor(s, g.kind()) + "\nprint(X.flip(" + dims + "))\nw = param(" + g.tensor(new int[] {2, 3}, "float")
                    + ")\nbackward((w.flip(" + g.pick("0", "1", "-1", "0, 1") + ") * arange(6.0).reshape(2, 3)).sum())\nprint(w.grad)";
        });
    }

    /**
     * A loss called as a function (F.cross_entropy), as a module made with options
     * (nn.CrossEntropyLoss(...)) or with PyTorch's keywords: class indices (some ignored, some out of
     * range, of a wrong dtype or shape) or class probabilities, on (N, C), (C,) or (N, C, d) logits.
     */
    private static String crossEntropy(Gen g) {
        int c = g.i(1, 4);
        int n = g.i(1, 3);
        int form = g.i(0, 9);
        boolean empty = g.p(0.04);
        int[] input = empty ? new int[] {0, c} : form == 0 ? new int[] {c} : form == 1 ? new int[] {n, c, g.i(1, 3)} : new int[] {n, c};
        int classDim = input.length == 1 ? 0 : 1;
        int[] indexShape = input.length == 1 ? new int[0] : input.length == 2 ? new int[] {input[0]} : new int[] {input[0], input[2]};
        String ignore = g.p(0.25) ? Integer.toString(g.pick(-100, 0, c - 1, -1)) : null;
        String target;
        int kind = g.i(0, 19);
        if (empty) {
            target = g.p(0.8) ? "zeros(0, dtype=\"int64\")" : "zeros(0, " + c + ")";
        } else if (kind < 13) {
            int[] sizes = indexShape.clone();
            if (kind == 12 && sizes.length > 0) {
                sizes[0] += 1; // a wrong batch size
            }
            target = indices(g, sizes, c, ignore);
            if (g.p(0.08)) {
                target += g.pick(".int()", ".float()", ".double()", ".bool()");
            }
        } else if (kind < 18) {
            // class probabilities: the input's shape
            target = g.p(0.6) ? g.tensor(input, "float") + ".softmax(" + classDim + ")"
                    : g.tensor(input, g.pick("float", "float", "double", "int")) + ".abs()";
        } else {
            // a float target of the index shape, or a 2-D int target
            target = g.pick(g.tensor(indexShape, "float"), g.tensor(new int[] {n, 1}, "int"));
        }
        StringBuilder opts = new StringBuilder();
        if (g.p(0.3)) {
            opts.append(", weight=").append(g.tensor(new int[] {g.p(0.9) ? c : c + 1}, "float")).append(".abs()")
                    .append(g.p(0.1) ? ".double()" : "");
        }
        if (ignore != null) {
            opts.append(", ignore_index=").append(ignore);
        }
        if (g.p(0.4)) {
            opts.append(", reduction=").append(g.pick("\"mean\"", "\"sum\"", "\"none\"", "\"none\"", "\"avg\""));
        }
        if (g.p(0.3)) {
            opts.append(", label_smoothing=").append(g.pick("0.1", "0.25", "0.5", "1.0", "0.0", "1.5", "-0.1"));
        }
        String z = "Z = param(" + (empty ? "zeros(0, " + c + ")" : g.tensor(input, g.p(0.92) ? "float" : "double")) + ")\nT = "
                + target + "\n";
        String call = switch (g.i(0, 3)) {
            case 0 -> "loss = CrossEntropy(" + (opts.length() > 0 ? opts.substring(2) : "") + ")\nl = loss(Z, T)";
            case 1 -> "l = CrossEntropy(input=Z, target=T" + opts + ")";
            default -> "l = CrossEntropy(Z, T" + opts + ")";
        };
        return z + call + "\nprint(l, l.dtype, l.shape)\nbackward(l.sum())\nprint(Z.grad)";
    }

    /** Random class indices in [0, classes), with the ignored value and an out-of-range one now and then. */
    private static String indices(Gen g, int[] shape, int classes, String ignore) {
        if (shape.length == 0) {
            return "tensor[" + index(g, classes, ignore) + "][0]";
        }
        StringBuilder b = new StringBuilder("tensor");
        indicesInto(g, shape, 0, classes, ignore, b);
        return b.toString();
    }

    private static void indicesInto(Gen g, int[] shape, int d, int classes, String ignore, StringBuilder b) {
        b.append('[');
        for (int k = 0; k < shape[d]; k++) {
            b.append(k > 0 ? ", " : "");
            if (d + 1 < shape.length) {
                indicesInto(g, shape, d + 1, classes, ignore, b);
            } else {
                b.append(index(g, classes, ignore));
            }
        }
        b.append(']');
    }

    private static String index(Gen g, int classes, String ignore) {
        double r = g.r.nextDouble();
        return r < 0.15 ? (ignore == null ? "-100" : ignore)
                : r < 0.18 ? Integer.toString(g.pick(classes, -1)) : Integer.toString(g.i(0, classes - 1));
    }

    /** MSE or L1: shapes alike or broadcasting (PyTorch warns), dtypes mixed, each reduction. */
    private static String pointwiseLoss(Gen g, String name) {
        int[][] s = g.p(0.6) ? new int[][] {g.shape(0, 3), null} : g.p(0.5) ? g.broadcastPair()
                : new int[][] {new int[] {3, 1}, new int[] {3}};
        int[] t = s[1] == null ? s[0] : s[1];
        boolean param = g.p(0.85);
        String x = g.tensor(s[0], param ? g.pick("float", "float", "float", "double") : g.kind());
        String y = g.tensor(t, g.p(0.8) ? "float" : g.kind());
        String red = g.p(0.5) ? "" : ", reduction=" + g.pick("\"mean\"", "\"sum\"", "\"none\"", "\"max\"");
        String call = switch (g.i(0, 2)) {
            case 0 -> "loss = " + name + "(" + (red.isEmpty() ? "" : red.substring(2)) + ")\nl = loss(Z, T)";
            case 1 -> "l = " + name + "(target=T, input=Z" + red + ")";
            default -> "l = " + name + "(Z, T" + red + ")";
        };
        return "Z = " + (param ? "param(" + x + ")" : x) + "\nT = " + y + "\n" + call + "\nprint(l, l.dtype)\n"
                + (param ? "backward(l.sum())\nprint(Z.grad)" : "");
    }

    private static String adaptive(Gen g, String layer) {
        int[] s = g.p(0.8) ? new int[] {g.i(1, 2), g.i(1, 2), g.i(1, 5), g.i(1, 5)} : new int[] {g.i(1, 2), g.i(1, 4), g.i(1, 4)};
        return "L = " + layer + "\nX = param(" + g.tensor(s, "float") + ")\nY = L(X)\nprint(Y)\nbackward((Y * Y).sum())\nprint(X.grad)";
    }

    private static int pickOut(Gen g, int rank) {
        return g.pick(rank + 1, -rank - 1);
    }

    private static String value(Gen g) {
        return g.pick(g.num(), "'text'", "true", "none", "[1, 'a', 2.5]", "(1,)", "(2, 'b')", g.anyTensor(0, 2), "1e-06",
                "0.1 + 0.2", "range(3)", "1e16", "123456789.0");
    }

    private static String dtype(Gen g) {
        return g.pick("\"float32\"", "\"float64\"", "\"int64\"", "\"int32\"", "\"bool\"", "\"uint8\"", "\"int8\"");
    }

    private static String creator(Gen g, String name) {
        int[] s = g.shape(0, 3);
        String size = g.p(0.5) ? Gen.sizesText(s) : Gen.shapeText(s);
        return "X = " + name + "(" + size + (g.p(0.3) ? (size.isEmpty() ? "" : ", ") + "dtype=" + dtype(g) : "") + ")\nprint(X, X.dtype)";
    }

    private static String joinOp(Gen g, String name) {
        int[] s = g.shape(1, 3);
        int[] t = s.clone();
        if (name.equals("cat") && g.p(0.6)) {
            t[g.i(0, t.length - 1)] = g.i(1, 3);
        } else if (g.p(0.1)) {
            t[0] = t[0] + 1;
        }
        String kind = g.pick("float", "int");
        return "print(" + name + "([" + g.tensor(s, kind) + ", " + g.tensor(t, g.p(0.85) ? kind : g.kind()) + "]"
                + (g.p(0.7) ? ", dim=" + g.dim(name.equals("stack") ? s.length + 1 : s.length) : "") + "))";
    }

    private static String gradient(Gen g) {
        int[] s = g.shape(1, 3);
        String w = "w = param(" + g.tensor(s, g.pick("float", "float", "double")) + ")\n";
        String c = g.tensor(s, "float");
        String e = g.pick("w * " + c, "w.relu() * 3", "w.exp()", "w * w", "(w * 2).sigmoid()", "w.tanh() + w", "w.abs()",
                "w / 2 - 1", "v * v", "v.relu() + w", "w ** 2", "w.softmax(0)", "w.max(dim=0, keepdim=true)", "w[0] * 2");
        String r = g.pick(".sum()", ".mean()", ".max()", ".min()", ".norm()", ".prod()");
        String extra = g.pick("", " + w.sum()", " * 2", " + (w * w).sum()");
        return w + "v = w * 2\nl = (" + e + ")" + r + extra + "\nbackward(l)\nprint(l, w.grad)";
    }

    private static String pool(Gen g, String name) {
        int k = g.i(1, 3), h = g.i(k, 5), w = g.i(k, 5);
        boolean unbatched = g.p(0.2);
        String x = g.tensor(unbatched ? new int[] {g.i(1, 2), h, w} : new int[] {g.i(1, 2), g.i(1, 2), h, w}, g.p(0.9) ? "float" : "int");
        String pad = k >= 2 && g.p(0.4) ? ", padding=" + g.pick("1", "(1, 0)") : "";
        return (unbatched ? "# unbatched\n" : "") + "L = " + name + "(" + g.pick(Integer.toString(k), "(" + k + ", 1)") + (g.p(0.5) ? ", stride=" + g.pick("1", "2", "(1, 2)") : "")
                + pad + ")\nX = param(" + x + ".float())\nY = L(X)\nprint(Y)\nbackward((Y * Y).sum())\nprint(X.grad)";
    }

    private static String saveLoad(Gen g) {
        int in = g.i(1, 4);
        String x = g.tensor(new int[] {2, in}, "float");
        return "seed(" + g.i(0, 99) + ")\nnet = Linear(" + in + ", 2) >> ReLU() >> Linear(2, 2)\nX = " + x + "\nY = net(X)\n"
                + "save(net, PATH)\nseed(" + g.i(100, 199) + ")\nnet2 = Linear(" + in + ", 2) >> ReLU() >> Linear(2, 2)\nnet2(X)\n"
                + "load(net2, PATH)\nprint(Y, net2(X))";
    }

    /**
     * Steps of an optimizer on a seeded Linear layer: the weights after the first step and after
     * a few more (momentum buffers, Adam's moments and bias corrections at work), a scaled loss
     * now and then.
     */
    private static String optimizer(Gen g, String make) {
        int in = g.i(1, 3);
        // A rate that makes the steps diverge (lr=0.5 on these data, or maximize) leaves float32 rounding
        // (libtorch's fused a + alpha * b against separate ops) amplified past the printed digits: one more step then.
        boolean explodes = make.contains("lr=0.5") || make.contains("maximize=true");
        boolean dbl = !explodes && g.p(0.2);
        int steps = explodes ? 1 : g.i(2, 5);
        // Inputs scaled by 1/8 (exactly) keep the steps from diverging, which would amplify float32 rounding.
        return "seed(" + g.i(0, 99) + ")\nL = Linear(" + in + ", 2)\nX = " + g.tensor(new int[] {3, in}, "float")
                + (steps > 1 ? " / 8" : "") + "\nT = " + g.tensor(new int[] {3, 2}, "float") + "\nL(X)\nopt = " + make + "\n"
                + "backward(MSE(L(X), T))\nstep(opt)\nprint(L.weight, L.bias, L.weight.grad)\n"
                + ("zero_grad(L)\nbackward(MSE(L(X), T)" + (dbl ? " * 3" : "") + ")\nstep(opt)\n").repeat(steps)
                + "print(L.weight, L.bias)";
    }

    /** SGD's options as PyTorch names them, now and then one PyTorch refuses. */
    private static String sgdOptions(Gen g) {
        StringBuilder b = new StringBuilder();
        if (g.p(0.6)) {
            b.append(", momentum=").append(g.pick("0.9", "0.5", "0", "-0.5"));
        }
        if (g.p(0.25)) {
            b.append(", dampening=").append(g.pick("0.1", "0.5", "0"));
        }
        if (g.p(0.4)) {
            b.append(", weight_decay=").append(g.pick("0.01", "0.1", "-0.1"));
        }
        if (g.p(0.3)) {
            b.append(", nesterov=").append(g.pick("true", "false"));
        }
        if (g.p(0.15)) {
            b.append(", maximize=true");
        }
        return b.toString();
    }

    /** Adam's options: betas as a pair or beta1=/beta2=, eps large enough to matter, amsgrad, maximize. */
    private static String adamOptions(Gen g) {
        StringBuilder b = new StringBuilder();
        if (g.p(0.4)) {
            String b1 = g.pick("0.9", "0.5", "0.0", "1.0");
            String b2 = g.pick("0.999", "0.9", "0.5");
            b.append(g.p(0.5) ? ", betas=(" + b1 + ", " + b2 + ")" : ", beta1=" + b1 + ", beta2=" + b2);
        }
        if (g.p(0.4)) {
            b.append(", eps=").append(g.pick("0.1", "1.0", "0.00001", "-1.0"));
        }
        if (g.p(0.4)) {
            b.append(", weight_decay=").append(g.pick("0.01", "0.1", "-0.1"));
        }
        if (g.p(0.3)) {
            b.append(", amsgrad=").append(g.pick("true", "false"));
        }
        if (g.p(0.15)) {
            b.append(", maximize=true");
        }
        return b.toString();
    }

    private static String reduction(Gen g, String m) {
        int[] s = g.shape(0, 3);
        String dim = "";
        if (g.p(0.6)) {
            dim = g.p(0.2) && s.length >= 2 ? "dim=(" + g.dim(s.length) + ", " + g.dim(s.length) + ")" : (g.p(0.5) ? "dim=" : "") + g.dim(s.length);
            if (g.p(0.4)) {
                dim += ", keepdim=" + g.pick("true", "false");
            }
        }
        return "X = " + g.tensor(s, g.kind()) + "\nprint(X." + m + "(" + dim + "))";
    }

    private static String binary(Gen g, String op) {
        int[][] s = g.broadcastPair();
        String a = g.p(0.15) ? g.num() : g.tensor(s[0], g.kind());
        String b = g.p(0.25) ? g.pick(g.num(), "true") : g.tensor(s[1], g.kind());
        return "print(" + a + " " + op + " " + b + ")";
    }
}

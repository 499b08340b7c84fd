package io.cnnscript.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.cnnscript.ScriptRunner;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.Tuple;
import io.cnnscript.value.Values;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * Built-ins read their arguments by name through the {@link Args} their {@link Signature}
 * binds: the order a signature declares its parameters in decides which value a positional
 * argument goes to, never which parameter the code reads.
 */
class SignatureTest {

    private static final Object[] NONE = {};
    private static final String[] NO_NAMES = {};

    /** What a Conv-like built-in received: the body reads stride and padding by name. */
    private static Builtin strideAndPadding(String signature) {
        return new Builtin("test", signature, "", (rt, a) -> Tuple.of(a.get("x"), a.get("stride"), a.get("padding")));
    }

    private static Object call(Builtin b, Object[] positional, String[] names, Object[] values) {
        return b.call(null, positional, names, values);
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(CnnException.class, call).getMessage();
    }

    private static String str(Object v) {
        return Values.repr(v);
    }

    @Test
    void reorderingTheParametersDoesNotChangeWhatTheBodyReads() {
        Builtin strideFirst = strideAndPadding("conv(x, stride=1, padding=0)");
        Builtin paddingFirst = strideAndPadding("conv(x, padding=0, stride=1)");
        String[] names = {"padding", "stride"};
        Object[] values = {5L, 2L};
        for (Builtin b : new Builtin[] {strideFirst, paddingFirst}) {
            assertEquals("(7, 2, 5)", str(call(b, new Object[] {7L}, names, values)), b.signature().text());
            assertEquals("(7, 1, 0)", str(call(b, new Object[] {7L}, NO_NAMES, NONE)), b.signature().text());
        }
        // Positional arguments follow the declared order; the body still gets each by its name.
        assertEquals("(7, 2, 5)", str(call(strideFirst, new Object[] {7L, 2L, 5L}, NO_NAMES, NONE)));
        assertEquals("(7, 5, 2)", str(call(paddingFirst, new Object[] {7L, 2L, 5L}, NO_NAMES, NONE)));
    }

    @Test
    void readingAnUndeclaredNameFailsLoudly() {
        Builtin typo = new Builtin("test", "conv(x, strides=1)", "", (rt, a) -> a.get("stride"));
        Args.Undeclared e = assertThrows(Args.Undeclared.class, () -> call(typo, new Object[] {1L}, NO_NAMES, NONE));
        assertEquals("conv() reads a parameter 'stride' that its signature conv(x, strides=1) does not declare",
                e.getMessage());
        Builtin typed = new Builtin("test", "conv(x, strides=1)", "", (rt, a) -> a.toLong("stride"));
        assertThrows(Args.Undeclared.class, () -> call(typed, new Object[] {1L}, NO_NAMES, NONE));
        Builtin notRest = new Builtin("test", "f(x)", "", (rt, a) -> a.rest("x"));
        assertEquals("f() reads 'x' as *x, but its signature f(x) declares it as a plain parameter",
                assertThrows(Args.Undeclared.class, () -> call(notRest, new Object[] {1L}, NO_NAMES, NONE)).getMessage());
    }

    @Test
    void anUndeclaredNameInAScriptIsAnInternalErrorNotANone() {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out), new PrintWriter(out))) {
            in.set("conv", new Builtin("test", "conv(x, strides=1)", "", (rt, a) -> a.get("stride")));
            CnnException e = assertThrows(CnnException.class, () -> in.eval("y = conv(1)", "t.cnn", false));
            assertEquals("t.cnn:1:5: " + Interpreter.INTERNAL_ERROR, e.getMessage());
            assertEquals("conv() reads a parameter 'stride' that its signature conv(x, strides=1) does not declare",
                    e.getCause().getMessage(), "the details are the cause");
        }
    }

    @Test
    void aParameterNamedTwiceIsRefusedAtRegistration() {
        assertEquals("parameter 'x' appears twice in f(x, y, x=1)", assertThrows(IllegalArgumentException.class,
                () -> new Builtin("test", "f(x, y, x=1)", "", (rt, a) -> NoneValue.NONE)).getMessage());
        assertEquals("two *parameters in f(*a, *b)", assertThrows(IllegalArgumentException.class,
                () -> new Builtin("test", "f(*a, *b)", "", (rt, a) -> NoneValue.NONE)).getMessage());
    }

    @Test
    void keywordsDefaultsAndRestBindAsBefore() {
        Builtin f = new Builtin("test", "f(first, *rest, sep=' ', end=none)", "",
                (rt, a) -> Tuple.of(a.get("first"), a.rest("rest"), a.get("sep"), a.get("end")));
        assertEquals("(1, (), ' ', none)", str(call(f, new Object[] {1L}, NO_NAMES, NONE)));
        assertEquals("(1, (2, 3), '-', none)",
                str(call(f, new Object[] {1L, 2L, 3L}, new String[] {"sep"}, new Object[] {"-"})));
        assertEquals("(1, (), ' ', 4)",
                str(call(f, NONE, new String[] {"end", "first"}, new Object[] {4L, 1L})));
        Builtin g = new Builtin("test", "g(a, b=2.5)", "", (rt, a) -> Tuple.of(a.get("a"), a.get("b")));
        assertEquals("(1, 2.5)", str(call(g, new Object[] {1L}, NO_NAMES, NONE)));
        assertEquals("(1, 3)", str(call(g, new Object[] {1L, 3L}, NO_NAMES, NONE)));
        assertEquals("(1, 3)", str(call(g, NONE, new String[] {"b", "a"}, new Object[] {3L, 1L})));
        assertEquals("g() takes from 1 to 2 arguments, but 3 were given",
                message(() -> call(g, new Object[] {1L, 2L, 3L}, NO_NAMES, NONE)));
        assertEquals("g() has no parameter named 'c'; it takes g(a, b=2.5)",
                message(() -> call(g, new Object[] {1L}, new String[] {"c"}, new Object[] {1L})));
        assertEquals("g() got two values for 'a'",
                message(() -> call(g, new Object[] {1L}, new String[] {"a"}, new Object[] {1L})));
        assertEquals("g() is missing its argument 'a'; it takes g(a, b=2.5)",
                message(() -> call(g, NONE, new String[] {"b"}, new Object[] {1L})));
        assertEquals("f() has no parameter named 'rest'; it takes f(first, *rest, sep=' ', end=none)",
                message(() -> call(f, new Object[] {1L}, new String[] {"rest"}, new Object[] {1L})));
    }

    @Test
    void typeErrorsNameTheParameterOrItsLabel() {
        Builtin h = new Builtin("test", "h(stride=1, dim=0)", "",
                (rt, a) -> a.toLong("stride", "Conv stride") + a.toInt("dim"));
        assertEquals("Conv stride must be an int, not float (1.5)",
                message(() -> call(h, new Object[] {1.5}, NO_NAMES, NONE)));
        assertEquals("dim must be an int, not string",
                message(() -> call(h, NONE, new String[] {"dim"}, new Object[] {"x"})));
        assertEquals(3L, call(h, new Object[] {1L, 2L}, NO_NAMES, NONE));
    }

    @Test
    void builtInsInScriptsKeepTheirMessages() {
        String[][] cases = {
            {"Conv(1, 2, 3, stride=1.5)", "t.cnn:1:1: Conv stride must be an int or a pair (h, w), not float"},
            {"Conv(1, 2, 3, padding=(1, 2, 3))", "t.cnn:1:1: Conv padding must be an int or a pair (h, w), got (1, 2, 3)"},
            {"Linear(2, 'a')", "t.cnn:1:1: Linear out_features must be an int, not string"},
            {"Adam(lr=0.1, beta1='x')", "t.cnn:1:1: beta1 must be a number, not string"},
            {"ones(2).sum(dim='a')", "t.cnn:1:1: dim must be a list or tuple, not string"},
            {"train(Linear(1, 1), [], epochs=1.5)", "t.cnn:1:1: epochs must be an int, not float (1.5)"},
            {"fashion_mnist(batch_size=0)", "t.cnn:1:1: batch_size must be positive, got 0"},
            {"print(1, sep=2)", "t.cnn:1:1: sep must be a string, not int"},
            {"MaxPool(2, strides=2)", "t.cnn:1:1: MaxPool() has no parameter named 'strides'; it takes "
                    + "MaxPool(kernel_size, stride=none, padding=0)"},
            {"Conv(1, 2, 3, 1, 0, 1, true, 5)", "t.cnn:1:1: Conv() takes from 3 to 7 arguments, but 8 were given"},
        };
        for (String[] c : cases) {
            CnnException e = ScriptRunner.run(c[0], "t.cnn").error();
            assertNotNull(e, c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }

    @Test
    void hostFunctionsGetTheirArgumentsInTheSignaturesOrder() {
        try (io.cnnscript.api.CnnEngine engine = io.cnnscript.api.CnnEngine.builder().build()) {
            java.util.List<Object> seen = new java.util.ArrayList<>();
            engine.define("f(a, *rest, b=3)", "", args -> {
                seen.add(args);
                return null;
            });
            engine.define("g(*xs)", "", args -> {
                seen.add(args);
                return null;
            });
            engine.eval("f(1, 2, 5, b=4)\nf(b=6, a=7)\ng(1, 2)\ng()");
            assertEquals(java.util.List.of(java.util.List.of(1L, java.util.List.of(2L, 5L), 4L),
                    java.util.List.of(7L, java.util.List.of(), 6L), java.util.List.of(1L, 2L), java.util.List.of()), seen);
            assertEquals("parameter 'x' appears twice in h(x, x)", assertThrows(IllegalArgumentException.class,
                    () -> engine.define("h(x, x)", "", args -> null)).getMessage());
        }
    }

    @Test
    void convAndPoolGetStrideAndPaddingByName() {
        // (1, 1, 8, 8): kernel 3, stride 2, padding 1 gives 4x4; swapped (stride 1, padding 2) would give 10x10.
        String out = ScriptRunner.run("""
                X = ones(1, 1, 8, 8)
                print(Conv(1, 1, 3, 2, 1)(X).shape)
                print(Conv(1, 1, 3, padding=1, stride=2)(X).shape)
                print(MaxPool(3, 2, 1)(X).shape)
                print(AvgPool(3, padding=1, stride=2)(X).shape)
                print(MaxPool(2)(X).shape)
                """, "t.cnn").transcript();
        assertEquals("(1, 1, 4, 4)\n(1, 1, 4, 4)\n(1, 1, 4, 4)\n(1, 1, 4, 4)\n(1, 1, 4, 4)\n", out);
    }

    /** Runs each script, which must fail, and checks its located message. */
    private static void fails(String[][] cases) {
        for (String[] c : cases) {
            CnnException e = ScriptRunner.run(c[0], "t.cnn").error();
            assertNotNull(e, c[0]);
            assertEquals(c[1], e.getMessage(), c[0]);
        }
    }

    @Test
    void softmaxAndFlattenTakeTheirOptionsByKeywordOrPosition() {
        String out = ScriptRunner.run("""
                X = arange(24).float().reshape(2, 3, 4)
                print(Softmax(dim=0), Softmax(0), Softmax(), Softmax)
                print(Flatten(0, -1), Flatten(start_dim=0, end_dim=1), Flatten(2), Flatten(end_dim=1))
                print(Flatten(0, -1)(X).shape, Flatten(end_dim=1)(X).shape, Flatten(X).shape, Flatten(0, 1)(input=X).shape)
                print((Softmax(0)(X) - X.softmax(0)).abs().max(), (Softmax(dim=2)(X) - X.softmax(2)).abs().max())
                print(ReLU(), ReLU(X - 20).sum())
                """, "t.cnn").transcript();
        assertEquals("""
                Softmax(dim=0) Softmax(dim=0) Softmax(dim=1) Softmax(dim=1)
                Flatten(start_dim=0, end_dim=-1) Flatten(start_dim=0, end_dim=1) Flatten(start_dim=2, end_dim=-1) \
                Flatten(start_dim=1, end_dim=1)
                (24,) (2, 3, 4) (2, 12) (6, 4)
                tensor(0.) tensor(0.)
                ReLU() tensor(6.)
                """, out);
        fails(new String[][] {
            {"Softmax(axis=0)", "t.cnn:1:1: Softmax() has no parameter named 'axis'; it takes Softmax(dim=1)"},
            {"Softmax(dim=1.5)", "t.cnn:1:1: Softmax dim must be an int, not float (1.5)"},
            {"Flatten(1, 2, 3)", "t.cnn:1:1: Flatten() takes from 0 to 2 arguments, but 3 were given"},
            {"Flatten(start=1)", "t.cnn:1:1: Flatten() has no parameter named 'start'; it takes "
                    + "Flatten(start_dim=1, end_dim=-1)"},
            {"Flatten(1, end_dim='a')", "t.cnn:1:1: Flatten end_dim must be an int, not string"},
            {"ReLU(inplace=true)", "t.cnn:1:1: ReLU() has no parameter named 'inplace'; it takes ReLU()"},
            {"ReLU(1)", "t.cnn:1:1: ReLU() input must be a tensor, not int"},
        });
    }

    @Test
    void aLayerIsCalledOnOneInput() {
        String out = ScriptRunner.run("""
                X = ones(2, 3)
                l = Linear(3, 1)
                net = l >> ReLU
                print(l(input=X).shape, net(input=X).shape, ReLU(input=X - 2))
                """, "t.cnn").transcript();
        assertEquals("(2, 1) (2, 1) tensor([[0., 0., 0.],\n        [0., 0., 0.]])\n", out);
        fails(new String[][] {
            {"Linear(3, 1)()", "t.cnn:1:1: Linear.forward() is missing its argument 'input'; it takes "
                    + "Linear.forward(input)"},
            {"Linear(3, 1)(ones(1, 3), 2)", "t.cnn:1:1: Linear.forward() takes 1 argument, but 2 were given"},
            {"Linear(3, 1)(x=ones(1, 3))", "t.cnn:1:1: Linear.forward() has no parameter named 'x'; it takes "
                    + "Linear.forward(input)"},
            {"Linear(3, 1)(3)", "t.cnn:1:1: Linear() input must be a tensor, not int"},
            {"(Linear(3, 1) >> ReLU)(ones(1, 3), ones(1, 3))",
                "t.cnn:1:1: Sequential.forward() takes 1 argument, but 2 were given"},
            {"(Linear(3, 1) >> ReLU)(X=ones(1, 3))", "t.cnn:1:1: Sequential.forward() has no parameter named 'X'; "
                    + "it takes Sequential.forward(input)"},
            {"(Linear(3, 1) >> ReLU)('x')", "t.cnn:1:1: the network's input must be a tensor, not string"},
        });
    }

    @Test
    void layerMethodsBindAsModuleMethods() {
        String out = ScriptRunner.run("""
                net = Linear(3, 1) >> ReLU
                print(net.training, net.train(false).training, net.train(mode=true).training, net.eval().training)
                print(net.train().training, len(net.parameters()), len(net.children()))
                net.zero_grad()
                net.zero_grad(set_to_none=false)
                net.add_module("out", Sigmoid)
                net.add_module(module=Tanh(), name="last")
                net.append(module=ReLU())
                print([n for n, m in net.named_children()], net.__len__(), net.__getitem__(idx=-1))
                print(len(Linear(3, 1).parameters(recurse=false)), len(net.parameters(recurse=false)), len(net.parameters(true)))
                """, "t.cnn").transcript();
        // recurse=false as in PyTorch 1.13: a leaf layer's own weight and bias, none of a Sequential's (its layers hold them)
        assertEquals("true false true false\ntrue 2 2\n['0', '1', 'out', 'last', '4'] 5 ReLU()\n2 0 2\n", out);
        fails(new String[][] {
            {"(Linear(3, 1) >> ReLU).train(modes=false)", "t.cnn:1:1: train() has no parameter named 'modes'; it "
                    + "takes train(mode=true)"},
            {"Linear(3, 1).train(1)", "t.cnn:1:1: train() mode must be a bool, not int"},
            {"Linear(3, 1).train(false, true)", "t.cnn:1:1: train() takes from 0 to 1 arguments, but 2 were given"},
            {"Linear(3, 1).eval(1)", "t.cnn:1:1: eval() takes 0 arguments, but 1 were given"},
            {"Linear(3, 1).parameters(recursive=false)", "t.cnn:1:1: parameters() has no parameter named 'recursive'; "
                    + "it takes parameters(recurse=true)"},
            {"Linear(3, 1).zero_grad(set_to_none=true)", "t.cnn:1:1: zero_grad(set_to_none=true) is not supported: "
                    + "gradients are zeroed in place, as PyTorch 1.13's default set_to_none=false does"},
            {"(Linear(3, 1) >> ReLU).add_module('a')", "t.cnn:1:1: add_module() is missing its argument 'module'; "
                    + "it takes add_module(name, module)"},
            {"(Linear(3, 1) >> ReLU).add_module(1, ReLU)", "t.cnn:1:1: add_module() name must be a string, not int"},
            {"(Linear(3, 1) >> ReLU).add_module('a', 1)", "t.cnn:1:1: an int is not a layer; networks are made of "
                    + "layers, e.g. Conv(1, 6, 5) >> Sigmoid >> MaxPool(2, 2)"},
            {"(Linear(3, 1) >> ReLU).add_module('a', mod=ReLU)", "t.cnn:1:1: add_module() has no parameter named "
                    + "'mod'; it takes add_module(name, module)"},
            {"(Linear(3, 1) >> ReLU).append(ReLU, Tanh)", "t.cnn:1:1: append() takes 1 argument, but 2 were given"},
        });
    }

    @Test
    void optimizerMethodsAndLossesBindByName() {
        String out = ScriptRunner.run("""
                lin = Linear(2, 1)
                opt = SGD(lr=0.5, params=lin)
                X = ones(1, 2)
                w = lin.weight.clone()
                backward(MSE(input=lin(X), target=zeros(1, 1)))
                g = lin.weight.grad.clone()
                opt.step()
                print((lin.weight - (w - 0.5 * g)).abs().max())
                opt.zero_grad(set_to_none=false)
                print(lin.weight.grad)
                other = param(ones(2))
                backward((other * 3).sum())
                opt.step(other)
                print(other)
                opt.zero_grad(other)
                print(other.grad, CrossEntropy(ones(2, 3), target=as_tensor([0, 2])), CrossEntropy() == CrossEntropy)
                """, "t.cnn").transcript();
        assertEquals("tensor(0.)\ntensor([[0., 0.]])\ntensor([-0.5000, -0.5000], requires_grad=True)\n"
                + "tensor([0., 0.]) tensor(1.0986) true\n", out);
        fails(new String[][] {
            {"SGD(lr=0.1, params=Linear(1, 1)).zero_grad(sett_to_none=true)", "t.cnn:1:1: zero_grad() has no "
                    + "parameter named 'sett_to_none'; it takes zero_grad(*params, set_to_none=false)"},
            {"SGD(lr=0.1, params=Linear(1, 1)).zero_grad(set_to_none=true)", "t.cnn:1:1: zero_grad(set_to_none=true) "
                    + "is not supported: gradients are zeroed in place, as PyTorch 1.13's default set_to_none=false does"},
            {"SGD(lr=0.1, params=Linear(1, 1)).step(closure=none)", "t.cnn:1:1: step() has no parameter named "
                    + "'closure'; it takes step(*params)"},
            {"SGD(lr=0.1).step()", "t.cnn:1:1: this optimizer is not bound to any parameters: make it with params=net, "
                    + "e.g. Adam(lr=0.001, params=net), or say what to update: step(opt, net)"},
            {"MSE(ones(2))", "t.cnn:1:1: MSE() is missing its argument 'target'; it takes MSE(input=none, target=none, "
                    + "reduction=\"mean\")"},
            {"MSE(ones(2), ones(2), \"sum\", ones(2))", "t.cnn:1:1: MSE() takes from 0 to 3 arguments, but 4 were given"},
            {"CrossEntropy(y_hat=ones(2, 3), y=as_tensor([0, 1]))", "t.cnn:1:1: CrossEntropy() has no parameter "
                    + "named 'y_hat'; it takes CrossEntropy(input=none, target=none, weight=none, ignore_index=-100, "
                    + "reduction=\"mean\", label_smoothing=0.0)"},
            {"MSE(ones(2), target=2)", "t.cnn:1:1: MSE() target must be a tensor, not int"},
            {"l = MSE(reduction=\"sum\")\nl(ones(2), ones(2), reduction=\"mean\")", "t.cnn:2:1: MSE() has no parameter "
                    + "named 'reduction'; it takes MSE(input, target)"},
        });
    }
}

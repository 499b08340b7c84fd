package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.cnnscript.error.CnnException;
import io.cnnscript.interp.Interpreter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers that hold layers: one module tree for built-in and script layers, named as PyTorch names it. */
class ModuleTreeTest {

    @TempDir
    Path tmp;

    /** The notebook's class LeNet. */
    static final String LENET_CLASS = """
            layer LeNet() {
                conv = Sequential(
                    Conv(1, 6, 5), Sigmoid, MaxPool(2, 2),
                    Conv(6, 16, 5), Sigmoid, MaxPool(2, 2))
                fc = Sequential(
                    Linear(16*4*4, 120), Sigmoid,
                    Linear(120, 84), Sigmoid,
                    Linear(84, 10))
                forward(img) {
                    feature = conv(img)
                    return fc(feature.reshape(img.shape[0], -1))
                }
            }
            """;

    /**
     * recurse=false gives a layer's own parameters and buffers, prefix= goes before each name, as
     * nn.Module's parameters(recurse), named_parameters(prefix, recurse), buffers and
     * named_buffers do (the expected lines are what PyTorch 1.13 prints for the same module).
     */
    @Test
    void parametersAndBuffersTakeRecurseAndPrefix() {
        String out = Scripts.run("""
                layer Block() {
                    conv = Conv(1, 2, 3)
                    bn = BatchNorm(2)
                    w = param(ones(2))
                    forward(x) { return bn(conv(x)) * w.reshape(1, 2, 1, 1) }
                }
                net = Sequential(Block(), Linear(2, 2))
                print([n for n, p in net.named_parameters()])
                print([n for n, p in net.named_parameters(recurse=false)], len(net.parameters(recurse=false)))
                print([n for n, p in net[0].named_parameters(prefix="blk", recurse=false)], len(net[0].parameters(false)))
                print([n for n, p in net.named_buffers(prefix="m")], len(net[0].buffers(recurse=false)), len(net[0].bn.buffers(recurse=false)))
                """);
        assertEquals("""
                ['0.w', '0.conv.weight', '0.conv.bias', '0.bn.weight', '0.bn.bias', '1.weight', '1.bias']
                [] 0
                ['blk.w'] 1
                ['m.0.bn.running_mean', 'm.0.bn.running_var', 'm.0.bn.num_batches_tracked'] 0 3
                """, out);
    }

    @Test
    void classLeNetPrintsNamesAndSummarises() {
        String out = Scripts.run(LENET_CLASS + """
                net = LeNet()
                print(net)
                print([name for name, p in net.named_parameters()])
                summary(net, (1, 1, 28, 28))
                """);
        assertEquals("""
                LeNet(
                  (conv): Sequential(
                    (0): Conv(1, 6, kernel_size=(5, 5), stride=(1, 1))
                    (1): Sigmoid()
                    (2): MaxPool(kernel_size=2, stride=2, padding=0)
                    (3): Conv(6, 16, kernel_size=(5, 5), stride=(1, 1))
                    (4): Sigmoid()
                    (5): MaxPool(kernel_size=2, stride=2, padding=0)
                  )
                  (fc): Sequential(
                    (0): Linear(in_features=256, out_features=120, bias=True)
                    (1): Sigmoid()
                    (2): Linear(in_features=120, out_features=84, bias=True)
                    (3): Sigmoid()
                    (4): Linear(in_features=84, out_features=10, bias=True)
                  )
                )
                ['conv.0.weight', 'conv.0.bias', 'conv.3.weight', 'conv.3.bias', 'fc.0.weight', 'fc.0.bias', \
                'fc.2.weight', 'fc.2.bias', 'fc.4.weight', 'fc.4.bias']
                Layer                                                        Output Shape    Param #
                ====================================================================================
                (conv): Sequential                                           (1, 16, 4, 4)        --
                  (0): Conv(1, 6, kernel_size=(5, 5), stride=(1, 1))         (1, 6, 24, 24)      156
                  (1): Sigmoid()                                             (1, 6, 24, 24)        0
                  (2): MaxPool(kernel_size=2, stride=2, padding=0)           (1, 6, 12, 12)        0
                  (3): Conv(6, 16, kernel_size=(5, 5), stride=(1, 1))        (1, 16, 8, 8)     2,416
                  (4): Sigmoid()                                             (1, 16, 8, 8)         0
                  (5): MaxPool(kernel_size=2, stride=2, padding=0)           (1, 16, 4, 4)         0
                (fc): Sequential                                             (1, 10)              --
                  (0): Linear(in_features=256, out_features=120, bias=True)  (1, 120)         30,840
                  (1): Sigmoid()                                             (1, 120)              0
                  (2): Linear(in_features=120, out_features=84, bias=True)   (1, 84)          10,164
                  (3): Sigmoid()                                             (1, 84)               0
                  (4): Linear(in_features=84, out_features=10, bias=True)    (1, 10)             850
                ====================================================================================
                Input shape: (1, 1, 28, 28)
                Total params: 44,426
                """, out);
    }

    /** Names, order and printed form as PyTorch 1.13 gives them for the same module (ModuleList, ParameterList). */
    @Test
    void listsOfLayersAndParamsAreChildrenNamedAsPyTorch() {
        String out = Scripts.run("""
                layer M() {
                    ws = [param(ones(3)), param(ones(2, 2))]
                    blocks = [Linear(2, 2), Sequential(ReLU, Linear(2, 3, bias=false))]
                    bn = BatchNorm(4)
                    conv = Conv(1, 2, 3, bias=false)
                    forward(x) { return x }
                }
                m = M()
                print(m)
                print([n for n, p in m.named_parameters()])
                print([n for n, t in m.state_dict()])
                print([n for n, t in m.named_buffers()])
                print(len(m.parameters()), m.bn.num_batches_tracked)
                """);
        assertEquals("""
                M(
                  (ws): ParameterList(
                      (0): Parameter containing: [torch.float32 of size 3]
                      (1): Parameter containing: [torch.float32 of size 2x2]
                  )
                  (blocks): ModuleList(
                    (0): Linear(in_features=2, out_features=2, bias=True)
                    (1): Sequential(
                      (0): ReLU()
                      (1): Linear(in_features=2, out_features=3, bias=False)
                    )
                  )
                  (bn): BatchNorm(4, eps=1e-05, momentum=0.1)
                  (conv): Conv(1, 2, kernel_size=(3, 3), stride=(1, 1), bias=False)
                )
                ['ws.0', 'ws.1', 'blocks.0.weight', 'blocks.0.bias', 'blocks.1.1.weight', 'bn.weight', 'bn.bias', \
                'conv.weight']
                ['ws.0', 'ws.1', 'blocks.0.weight', 'blocks.0.bias', 'blocks.1.1.weight', 'bn.weight', 'bn.bias', \
                'bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked', 'conv.weight']
                ['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']
                8 tensor(0)
                """, out);
    }

    /** The residual layer: its conv trains, saves and loads; summary counts it. */
    @Test
    void layerInsideAScriptLayerTrainsSavesAndLoads() {
        String file = tmp.resolve("res.params").toString().replace("\\", "/");
        String out = Scripts.run("""
                seed(0)
                layer Res(c) {
                    conv1 = Conv(c, c, 3, padding=1)
                    bn = BatchNorm(c)
                    forward(x) { return ReLU(bn(conv1(x))) + x }
                }
                net = Res(2) >> Flatten >> Linear(2 * 4 * 4, 3)
                X = rand(8, 2, 4, 4)
                y = tensor[0, 1, 2, 0, 1, 2, 0, 1]
                before = net[0].conv1.weight * 1
                train(net, [(X, y)], epochs=3)
                print((net[0].conv1.weight - before).abs().max().item() > 0)
                print(net[0].bn.num_batches_tracked, net[0].bn.running_mean.abs().sum().item() > 0)
                net.eval()
                out = net(X)
                save(net, "%s")
                seed(5)
                net2 = Res(2) >> Flatten >> Linear(2 * 4 * 4, 3)
                net2.eval()
                print((net2(X) - out).abs().max().item() > 0)
                load(net2, "%s")
                print((net2(X) - out).abs().max().item(), net2[0].bn.num_batches_tracked)
                """.formatted(file, file));
        assertEquals("training on cpu\n", out.substring(0, out.indexOf('\n') + 1));
        assertTrue(out.endsWith("true\ntensor(3) true\ntrue\n0.0 tensor(3)\n"), out);
    }

    @Test
    void dropoutInsideAScriptLayerFollowsEvalMode() {
        String out = Scripts.run("""
                seed(0)
                layer D() {
                    drop = Dropout(0.5)
                    forward(x) { return drop(x) }
                }
                net = Flatten >> D()
                X = ones(4, 100)
                print((net(X) == 0).sum().item() > 0, net[1].drop.training)
                net.eval()
                print((net(X) == 0).sum().item() > 0, net[1].drop.training, net.training)
                print(evaluate(net, [(X, zeros(4).long())]) >= 0)
                net.train()
                print(net[1].drop.training)
                """);
        assertEquals("true true\nfalse false false\ntrue\ntrue\n", out);
    }

    @Test
    void indexingAndBuildingNetworks() {
        String out = Scripts.run(LENET_CLASS + """
                net = LeNet()
                print(net.conv[3])
                print(len(net.conv), len(net.fc), net.fc[-1])
                print(net.conv[0:2])
                print(Conv(1, 6, 5).weight.shape, Linear(3, 2, bias=false).named_parameters()[0][0])
                s = Sequential()
                s.add_module("conv", Conv(1, 2, 3))
                s.add_module("act", ReLU)
                print(s)
                print([n for n, p in s.named_parameters()], s.conv)
                layers = [Linear(2, 2), ReLU]
                print(len(Sequential(layers)), len(Sequential(*layers)), max(*[3, 5], 4))
                """);
        assertEquals("""
                Conv(6, 16, kernel_size=(5, 5), stride=(1, 1))
                6 5 Linear(in_features=84, out_features=10, bias=True)
                Sequential(
                  (0): Conv(1, 6, kernel_size=(5, 5), stride=(1, 1))
                  (1): Sigmoid()
                )
                (6, 1, 5, 5) weight
                Sequential(
                  (conv): Conv(1, 2, kernel_size=(3, 3), stride=(1, 1))
                  (act): ReLU()
                )
                ['conv.weight', 'conv.bias'] Conv(1, 2, kernel_size=(3, 3), stride=(1, 1))
                2 2 5
                """, out);
    }

    /** PyTorch 1.13 prints AdaptiveAvgPool2d((1, 1)) as AdaptiveAvgPool2d(output_size=(1, 1)); values are DifferentialTest's. */
    @Test
    void poolingLayersOfTheModernChapter() {
        String out = Scripts.run("""
                X = arange(2 * 3 * 5 * 7).float().reshape(2, 3, 5, 7)
                print(AdaptiveAvgPool((1, 1)), AdaptiveMaxPool(2), GlobalAvgPool())
                print(AdaptiveAvgPool((2, 3))(X).shape, AdaptiveMaxPool(2)(X)[0, 0], GlobalAvgPool()(X).shape)
                print(Conv(4, 4, 3, groups=2), Conv(4, 4, 3, groups=2).weight.shape)
                """);
        assertEquals("""
                AdaptiveAvgPool(output_size=(1, 1)) AdaptiveMaxPool(output_size=2) GlobalAvgPool()
                (2, 3, 2, 3) tensor([[17., 20.],
                        [31., 34.]]) (2, 3, 1, 1)
                Conv(4, 4, kernel_size=(3, 3), stride=(1, 1), groups=2) (4, 2, 3, 3)
                """, out);
    }

    @Test
    void treeErrorsAreLocatedAndLeaveTheNetworkUnchanged() {
        String res = """
                layer Res(c) {
                    conv = Conv(c, c, 3, padding=1)
                    forward(x) { return conv(x) + x }
                }
                r = Res(2)
                """;
        CnnException e = Scripts.fail(res + "r.conv = 3\n");
        assertEquals("cannot set 'conv' of layer Res to an int: it holds a layer, and takes another layer or none",
                e.detail());
        assertEquals(6, e.line());
        e = Scripts.fail(res + "s = Sequential(r)\nr.conv = s\n");
        assertEquals("cannot set 'conv' of layer Res: the value holds this layer, and a layer cannot hold itself",
                e.detail());
        e = Scripts.fail(res + "s = Sequential()\ns.add_module(\"a\", r)\ns.add_module(\"a\", ReLU)\n");
        assertEquals("this network already has a child named 'a' (Res); two children cannot share a name", e.detail());
        assertEquals(8, e.line());
        e = Scripts.fail(res + "s = Sequential(r)\ns.add_module(\"me\", s)\n");
        assertEquals("cannot add Sequential to a network it contains: a network must be a tree", e.detail());
        e = Scripts.fail("layer L() {\n  fs = [Linear(2, 2), 3]\n  forward(x) { return x }\n}\nm = L()\n");
        assertEquals("layer L: field 'fs' holds layers or parameters and also an int (item 1); a list of layers holds "
                + "only layers, so that every one of them trains", e.detail());
        assertEquals(5, e.line());
        e = Scripts.fail("layer L() {\n  fs = [Linear(2, 2)]\n  forward(x) { return x }\n}\nm = L()\nm.fs.append(m)\n"
                + "print(m.parameters())\n");
        assertEquals("layer L holds itself: its child 'fs.1' is the layer that contains it (a network must be a tree)",
                e.detail());
        assertEquals(7, e.line());
        e = Scripts.fail("s = Sequential(ReLU, ReLU)\nprint(s[2])\n");
        assertEquals("network index 2 is out of range for a network of 2 layers", e.detail());
        assertEquals(2, e.line());
        e = Scripts.fail("print(max(*3))\n");
        assertEquals("an argument after '*' must be a list or tuple, not int", e.detail());
        assertEquals(11, e.column());
        assertEquals("true\n", Scripts.run(res + "w = r.conv.weight * 1\ntry_it = 0\nprint((r.conv.weight == w).sum().item() == 36)\n"));
    }

    /**
     * The bad inputs, one after the other on one network: each a located error, and the
     * network prints, names and computes as before. load() of another tree names every missing
     * and every extra tensor, in both file formats.
     */
    @Test
    void badInputsLeaveTheTreeUnchanged() {
        StringWriter out = new StringWriter();
        try (Interpreter in = new Interpreter(NDManager.newBaseManager(), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true))) {
            io.cnnscript.TestFiles.confine(in);
            String other = tmp.resolve("other").toString().replace("\\", "/");
            in.eval("""
                    seed(2)
                    layer Res(c) {
                        conv = Conv(c, c, 3, padding=1)
                        fs = [Linear(2, 2), Linear(2, 2)]
                        forward(x) { return conv(x) + x }
                    }
                    layer Other(c) {
                        conv = Conv(c, c, 3, padding=1)
                        extra = Linear(2, 3)
                        forward(x) { return conv(x) }
                    }
                    net = Sequential(Res(2), ReLU)
                    save(Sequential(Other(2), ReLU), "%s.params")
                    save(Sequential(Other(2), ReLU), "%s.pt")
                    X = rand(1, 2, 4, 4)
                    before, text, names = net(X), str(net), [n for n, t in net.state_dict()]
                    fn same() { return ((net(X) - before).abs().max().item() == 0 and str(net) == text
                        and [n for n, t in net.state_dict()] == names) }
                    """.formatted(other, other), "t.cnn", false);
            String[][] cases = {
                {"net[0].conv = 3", "cannot set 'conv' of layer Res to an int: it holds a layer, and takes another "
                        + "layer or none"},
                {"net[0].fs = 3", "cannot set 'fs' of layer Res to an int: it holds a list of layers or parameters, "
                        + "and takes another such list or none"},
                {"net[0].fs = [Linear(2, 2), \"x\"]", "layer Res: field 'fs' holds layers or parameters and also a "
                        + "string (item 1); a list of layers holds only layers, so that every one of them trains"},
                {"net[0].conv = net", "cannot set 'conv' of layer Res: the value holds this layer, and a layer cannot "
                        + "hold itself"},
                {"net.add_module(\"0\", ReLU)", "this network already has a child named '0' (Res); two children "
                        + "cannot share a name"},
                {"net.add_module(\"me\", net)", "cannot add Sequential to a network it contains: a network must be "
                        + "a tree"},
                {"Sequential(Res)", "Res is a layer type, not a layer: make one first, e.g. Res(...)"},
                {"load(net, \"" + other + ".params\")", "load(): " + other + ".params does not fit this network (it "
                        + "was saved from another one): missing 0.fs.0.weight, 0.fs.0.bias, 0.fs.1.weight, "
                        + "0.fs.1.bias; unexpected 0.extra.weight, 0.extra.bias; the network is unchanged"},
                {"load(net, \"" + other + ".pt\")", "load(): " + other + ".pt does not fit this network (nothing was "
                        + "changed): missing from the file: 0.fs.0.weight, 0.fs.0.bias, 0.fs.1.weight, 0.fs.1.bias; in "
                        + "the file but not in the network: 0.extra.weight, 0.extra.bias"},
            };
            for (String[] c : cases) {
                try {
                    in.eval("\n\n" + c[0] + "\n", "t.cnn", false);
                    throw new AssertionError("no error for " + c[0]);
                } catch (CnnException e) {
                    assertEquals(c[1], e.detail(), c[0]);
                    assertEquals(3, e.line(), c[0]);
                }
                out.getBuffer().setLength(0);
                in.eval("print(same())", "t.cnn", false);
                assertEquals("true\n", out.toString(), c[0]);
            }
        }
    }

    /**
     * A field's list of layers changed in place (PyTorch's ModuleList refuses a non-module): the
     * next walk of the tree says which field and item, located where it happens.
     */
    @Test
    void aListOfLayersChangedInPlaceIsRefusedAtTheNextWalk() {
        String res = "layer L() {\n  fs = [Linear(2, 2)]\n  forward(x) { return x }\n}\nm = L()\n";
        CnnException e = Scripts.fail(res + "m.fs.append(3)\nprint(len(m.parameters()))\n");
        assertEquals("layer L: field 'fs' holds layers or parameters and also an int (item 1); a list of layers holds "
                + "only layers, so that every one of them trains", e.detail());
        assertEquals(7, e.line());
        e = Scripts.fail(res + "m.fs[0] = 3\ntrain(m, [(ones(1, 2), tensor[0])])\n");
        assertEquals("layer L: field 'fs' held layers or parameters and now holds an int (item 0); a list of layers "
                + "holds only layers, so that every one of them trains", e.detail());
        assertEquals(7, e.line());
        // Filled after it was made, a list of layers is a child like any other.
        assertEquals("2\n", Scripts.run("layer L() {\n  fs = []\n  forward(x) { return x }\n}\nm = L()\n"
                + "m.fs.append(Linear(2, 2))\nprint(len(m.parameters()))\n"));
    }
}

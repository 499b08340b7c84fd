package io.cnnscript.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cnnscript.error.CnnException;
import org.junit.jupiter.api.Test;

class LayersTest {

    /** {@code >>} is flat; {@code Sequential(...)} nests as PyTorch's nn.Sequential does. */
    @Test
    void composingIsFlatSequentialNests() {
        String out = Scripts.run("""
                a = Conv(1, 2, 3)
                b = Sigmoid
                c = Flatten
                print(len(((a >> b) >> c).children))
                print(len((a >> (b >> c)).children))
                print(len(Sequential(a, b >> c).children))
                print(len(Sequential(a, Sequential(b, c), Sigmoid()).children))
                print(len(Sequential([a, b, c])), len(Sequential()))
                print(type(a >> b))
                """);
        assertEquals("3\n3\n2\n3\n3 0\nnetwork\n", out);
    }

    @Test
    void printsLeNetAsPyTorchDoes() {
        String out = Scripts.run(Scripts.LENET + "print(net)\n");
        assertEquals("""
                Sequential(
                  (0): Conv(1, 6, kernel_size=(5, 5), stride=(1, 1))
                  (1): Sigmoid()
                  (2): MaxPool(kernel_size=2, stride=2, padding=0)
                  (3): Conv(6, 16, kernel_size=(5, 5), stride=(1, 1))
                  (4): Sigmoid()
                  (5): MaxPool(kernel_size=2, stride=2, padding=0)
                  (6): Flatten(start_dim=1, end_dim=-1)
                  (7): Linear(in_features=256, out_features=120, bias=True)
                  (8): Sigmoid()
                  (9): Linear(in_features=120, out_features=84, bias=True)
                  (10): Sigmoid()
                  (11): Linear(in_features=84, out_features=10, bias=True)
                )
                """, out);
    }

    @Test
    void printsEachLayer() {
        String out = Scripts.run("""
                print(Conv(1, 1, (5, 3), padding=(2, 1)))
                print(Conv(3, 8, 3, stride=2))
                print(MaxPool(3))
                print(MaxPool((2, 4), padding=(1, 2), stride=(2, 3)))
                print(Pool(2, 2))
                print(AvgPool(2))
                print(ReLU, Tanh(), Softmax, Softmax(dim=0))
                print(Dropout(0.5), BatchNorm(6))
                print(CrossEntropy, MSE)
                """);
        assertEquals("""
                Conv(1, 1, kernel_size=(5, 3), stride=(1, 1), padding=(2, 1))
                Conv(3, 8, kernel_size=(3, 3), stride=(2, 2))
                MaxPool(kernel_size=3, stride=3, padding=0)
                MaxPool(kernel_size=(2, 4), stride=(2, 3), padding=(1, 2))
                MaxPool(kernel_size=2, stride=2, padding=0)
                AvgPool(kernel_size=2, stride=2, padding=0)
                ReLU() Tanh() Softmax(dim=1) Softmax(dim=0)
                Dropout(p=0.5) BatchNorm(6, eps=1e-05, momentum=0.1)
                CrossEntropyLoss() MSELoss()
                """, out);
    }

    /** The notebook's pooling cells; expected text from PyTorch 1.13 (nn.MaxPool2d). */
    @Test
    void poolingMatchesTheNotebook() {
        String out = Scripts.run("""
                X = arange(16).float().reshape(1, 1, 4, 4)
                print(MaxPool(3)(X))
                print(MaxPool(3, padding=1, stride=2)(X))
                print(MaxPool((2, 4), padding=(1, 2), stride=(2, 3))(X))
                X = cat([X, X + 1], dim=1)
                print(MaxPool(3, padding=1, stride=2)(X))
                print(AvgPool(2)(X))
                """);
        assertEquals("""
                tensor([[[[10.]]]])
                tensor([[[[ 5.,  7.],
                          [13., 15.]]]])
                tensor([[[[ 1.,  3.],
                          [ 9., 11.],
                          [13., 15.]]]])
                tensor([[[[ 5.,  7.],
                          [13., 15.]],

                         [[ 6.,  8.],
                          [14., 16.]]]])
                tensor([[[[ 2.5000,  4.5000],
                          [10.5000, 12.5000]],

                         [[ 3.5000,  5.5000],
                          [11.5000, 13.5000]]]])
                """, out);
    }

    @Test
    void convKeepsShapeWithPadding() {
        String out = Scripts.run("""
                X = rand(8, 8)
                print(Conv(1, 1, 3, padding=1)(X.reshape(1, 1, 8, 8)).shape)
                print(Conv(in_channels=1, out_channels=1, kernel_size=(5, 3), padding=(2, 1))(X.reshape(1, 1, 8, 8)).shape)
                print(Conv(1, 1, 3, padding=1, stride=2)(X.reshape(1, 1, 8, 8)).shape)
                print(Sigmoid(tensor[0.0]), ReLU(tensor[-1.0, 2.0]))
                """);
        assertEquals("(1, 1, 8, 8)\n(1, 1, 8, 8)\n(1, 1, 4, 4)\ntensor([0.5000]) tensor([0., 2.])\n", out);
    }

    @Test
    void summaryOfLeNet() {
        String out = Scripts.run(Scripts.LENET + "summary(net, (1, 1, 28, 28))\n");
        assertTrue(out.contains("(0): Conv(1, 6, kernel_size=(5, 5), stride=(1, 1))         (1, 6, 24, 24)      156"), out);
        assertTrue(out.contains("(6): Flatten(start_dim=1, end_dim=-1)                      (1, 256)              0"), out);
        assertTrue(out.contains("(11): Linear(in_features=84, out_features=10, bias=True)   (1, 10)             850"), out);
        assertTrue(out.endsWith("Total params: 44,426\n"), out);
    }

    @Test
    void parameterNamesFollowPyTorch() {
        String out = Scripts.run(Scripts.LENET + "for name, p in net.named_parameters() { print(name, p.shape) }\n");
        assertEquals("""
                0.weight (6, 1, 5, 5)
                0.bias (6,)
                3.weight (16, 6, 5, 5)
                3.bias (16,)
                7.weight (120, 256)
                7.bias (120,)
                9.weight (84, 120)
                9.bias (84,)
                11.weight (10, 84)
                11.bias (10,)
                """, out);
    }

    @Test
    void seedMakesInitialisationRepeatable() {
        String out = Scripts.run("""
                seed(3)
                a = Linear(4, 2)
                wa = a.parameters()[0]
                seed(3)
                b = Linear(4, 2)
                wb = b.parameters()[0]
                print((wa - wb).abs().max().item())
                print(wa.abs().max().item() <= 0.5)
                """);
        assertEquals("0.0\ntrue\n", out);
    }

    @Test
    void linearAfterTooManyFeaturesNamesLayerIndexAndShapes() {
        CnnException e = Scripts.fail("""
                net = Conv(1, 6, 5) >> Sigmoid >> MaxPool(2, 2)
                    >> Conv(6, 16, 5) >> Sigmoid >> MaxPool(2, 2)
                    >> Flatten >> Linear(200, 120) >> Sigmoid >> Linear(120, 10)
                summary(net, (1, 1, 28, 28))
                """);
        assertEquals("layer 7: Linear(in_features=200, out_features=120, bias=True) expects an input of shape "
                + "(N, 200), got (1, 256)", e.detail());
        assertEquals(4, e.line());
        assertTrue(e.column() > 0);
    }

    @Test
    void convOnTheWrongNumberOfChannelsFailsAtFirstCall() {
        CnnException e = Scripts.fail("""
                net = Conv(3, 6, 5) >> ReLU
                X = rand(2, 1, 28, 28)

                Y = net(X)
                """);
        assertEquals("layer 0: Conv(3, 6, kernel_size=(5, 5), stride=(1, 1)) expects an input of shape "
                + "(N, 3, H, W) (3 channels), got (2, 1, 28, 28)", e.detail());
        assertEquals(4, e.line());
    }

    @Test
    void otherMistakesGiveClearErrors() {
        assertEquals("Conv(1, 6, kernel_size=(5, 5), stride=(1, 1)) has a 5x5 kernel that does not fit an input of "
                + "shape (1, 1, 3, 3)", Scripts.fail("Conv(1, 6, 5)(rand(1, 1, 3, 3))").detail());
        assertEquals("Conv(1, 6, kernel_size=(5, 5), stride=(1, 1)) expects a float32 input, got int64 (use .float())",
                Scripts.fail("Conv(1, 6, 5)(arange(784).reshape(1, 1, 28, 28))").detail());
        assertEquals("MaxPool padding should be at most half of the kernel size, got padding=2 for kernel_size=2",
                Scripts.fail("MaxPool(2, padding=2)").detail());
        assertTrue(Scripts.fail("x = 1 >> Sigmoid").detail().startsWith("an int is not a layer")
                || Scripts.fail("x = 1 >> Sigmoid").detail().contains("not a layer"));
        assertEquals("Linear(in_features=4, out_features=2, bias=True) expects an input of shape (N, 4), got "
                + "(2, 1, 2, 2) (put Flatten before it)", Scripts.fail("Linear(4, 2)(rand(2, 1, 2, 2))").detail());
    }

    /** len() of a data set is its number of batches, as len() of a PyTorch DataLoader. */
    @Test
    void lenOfADataSetIsItsNumberOfBatches() {
        String out = Scripts.run("""
                tr, te = fashion_mnist(batch_size=1000)
                print(len(tr) == tr.num_batches, len(tr) == (tr.size + 999) // 1000, len(te) == (te.size + 999) // 1000)
                print(len(fashion_mnist(batch_size=7)[1]) == (te.size + 6) // 7)
                """);
        assertEquals("true true true\ntrue\n", out);
        assertEquals("__len__() takes 0 arguments, but 1 were given",
                Scripts.fail("tr, te = fashion_mnist(batch_size=1000)\ntr.__len__(5)").detail());
    }
}

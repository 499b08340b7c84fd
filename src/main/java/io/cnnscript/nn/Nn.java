package io.cnnscript.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.cnnscript.error.CnnException;
import io.cnnscript.lib.Args;
import io.cnnscript.lib.Builtin;
import io.cnnscript.lib.Conversions;
import io.cnnscript.lib.GradMode;
import io.cnnscript.lib.Library;
import io.cnnscript.value.NoneValue;
import io.cnnscript.value.Runtime;
import io.cnnscript.value.TensorFormat;
import io.cnnscript.value.Tuple;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Adds the neural-network built-ins (layers, data, training) to the language's library. */
public final class Nn {

    private Nn() {}

    private static final String LAYERS = "layers";
    private static final String TRAINING = "training";
    private static final String DATA = "data";

    /**
     * Adds the nn built-ins to a library being built, and what {@code >>} does on layers (a
     * Sequential of the two). The interpreter calls this when it builds its library.
     */
    public static Library.Builder addTo(Library.Builder lib) {
        lib.composer((rt, a, b) -> Sequential.of(List.of(a, b)));
        layers(lib);
        training(lib);
        data(lib);
        Pictures.addTo(lib);
        return lib;
    }

    private static long toLong(Object v, String what) {
        return Conversions.toLong(v, what);
    }

    private static void layers(Library.Builder lib) {
        lib.add(Builtin.lasting(LAYERS,
                "Conv(in_channels, out_channels, kernel_size, stride=1, padding=0, groups=1, bias=true)",
                "A 2-D convolution layer (PyTorch's Conv2d) on (N, C, H, W) input, or one (C, H, W) example; kernel_size, stride and padding "
                        + "take an int or an (h, w) pair. Weights and bias start uniform in +-1/sqrt(in_channels/groups*kh*kw), "
                        + "as in PyTorch, and exist from the start: Conv(1, 6, 5).weight. bias=false leaves the bias out. "
                        + "Conv(1, 1, 3, padding=1)(X) keeps an 8x8 input 8x8.",
                (rt, a) -> made(rt, BlockLayer.conv(a.toLong("in_channels", "Conv in_channels"),
                        a.toLong("out_channels", "Conv out_channels"),
                        Conversions.pair(a.get("kernel_size"), "Conv kernel_size"),
                        Conversions.pair(a.get("padding"), "Conv padding"),
                        Conversions.pair(a.get("stride"), "Conv stride"), a.toLong("groups", "Conv groups"),
                        a.truthy("bias")))));
        lib.add(Builtin.lasting(LAYERS, "MaxPool(kernel_size, stride=none, padding=0)",
                "2-D max pooling (PyTorch's MaxPool2d): the largest value of each window; stride defaults to the "
                        + "window. MaxPool(3, padding=1, stride=2); MaxPool((2, 4), padding=(1, 2), stride=(2, 3)).",
                (rt, a) -> pool(true, a)));
        lib.add(Builtin.lasting(LAYERS, "Pool(kernel_size, stride=none, padding=0)",
                "The same as MaxPool: Pool(2, 2) is a 2x2 max pooling with stride 2.",
                (rt, a) -> pool(true, a)));
        lib.add(Builtin.lasting(LAYERS, "AvgPool(kernel_size, stride=none, padding=0)",
                "2-D average pooling (PyTorch's AvgPool2d, padding counted as zeros); stride defaults to the window.",
                (rt, a) -> pool(false, a)));
        lib.add(Builtin.lasting(LAYERS, "AdaptiveAvgPool(output_size)",
                "Average pooling to a fixed output size (an int or (h, w)) whatever the input's size (PyTorch's "
                        + "AdaptiveAvgPool2d): AdaptiveAvgPool((1, 1)) averages each channel.",
                (rt, a) -> AdaptivePool.of(false, a.get("output_size"))));
        lib.add(Builtin.lasting(LAYERS, "AdaptiveMaxPool(output_size)",
                "Max pooling to a fixed output size (an int or (h, w)) whatever the input's size (PyTorch's "
                        + "AdaptiveMaxPool2d).",
                (rt, a) -> AdaptivePool.of(true, a.get("output_size"))));
        lib.add(Builtin.lasting(LAYERS, "GlobalAvgPool()",
                "Global average pooling (d2l's GlobalAvgPool2d): the mean of each channel, (N, C, H, W) to (N, C, 1, 1).",
                (rt, a) -> AdaptivePool.global()));
        lib.add(Builtin.lasting(LAYERS, "Linear(in_features, out_features, bias=true)",
                "A fully connected layer: y = x W^T + b on (N, in_features) input, initialised as PyTorch does; "
                        + "bias=false leaves b out.",
                (rt, a) -> made(rt, BlockLayer.linear(a.toLong("in_features", "Linear in_features"),
                        a.toLong("out_features", "Linear out_features"), a.truthy("bias")))));
        lib.add(Builtin.lasting(LAYERS, "Dropout(p=0.5)",
                "Zeroes each element with probability p while training (scaling the rest by 1/(1-p)); does nothing in "
                        + "evaluation.",
                (rt, a) -> BlockLayer.dropout(a.toDouble("p", "Dropout p"))));
        lib.add(Builtin.lasting(LAYERS, "BatchNorm(num_features, eps=0.00001, momentum=0.1)",
                "Batch normalisation over dimension 1 (PyTorch's BatchNorm1d/2d): learns weight and bias, keeps "
                        + "running_mean and running_var for evaluation.",
                (rt, a) -> made(rt, BlockLayer.batchNorm(a.toLong("num_features", "BatchNorm num_features"),
                        a.toDouble("eps", "BatchNorm eps"), a.toDouble("momentum", "BatchNorm momentum")))));
        addFn(lib, "Sigmoid", FnLayer.Kind.SIGMOID, "The logistic function 1 / (1 + exp(-x)) as a layer; Sigmoid and "
                + "Sigmoid() are the same, Sigmoid(X) applies it.");
        addFn(lib, "ReLU", FnLayer.Kind.RELU, "max(x, 0) as a layer; ReLU and ReLU() are the same.");
        addFn(lib, "Tanh", FnLayer.Kind.TANH, "tanh(x) as a layer; Tanh and Tanh() are the same.");
        addFn(lib, "Softmax", FnLayer.Kind.SOFTMAX, "softmax over dim (1 by default) as a layer: Softmax, Softmax(dim=0).");
        addFn(lib, "Flatten", FnLayer.Kind.FLATTEN, "Flattens each example to a vector: (N, C, H, W) becomes (N, C*H*W). "
                + "Flatten(start_dim=1, end_dim=-1) as in PyTorch.");
        lib.add(Builtin.lasting(LAYERS, "Sequential(*layers)",
                "A network that runs the layers in order (PyTorch's nn.Sequential): each argument is one child, "
                        + "named 0, 1, ...; a network given to it stays one nested child. Sequential(list) takes the "
                        + "layers of a list. print(net) shows the layout, net(X) runs it, net[0] and len(net) work as "
                        + "in PyTorch, net.add_module(name, layer) adds a named child.",
                (rt, a) -> {
                    List<Object> parts = a.rest("layers").asList();
                    if (parts.size() == 1 && (parts.get(0) instanceof io.cnnscript.value.PyList
                            || parts.get(0) instanceof Tuple)) {
                        parts = Conversions.sequence(parts.get(0), "Sequential() layers");
                    }
                    return Sequential.nested(parts);
                }));
        lib.add(Builtin.lasting(LAYERS, "summary(net, input_shape)",
                "Prints each layer's output shape and parameter count for an input of input_shape, and the total; "
                        + "makes the parameters of layers that have none yet. summary(net, (1, 1, 28, 28)).",
                (rt, a) -> {
                    summary(rt, Sequential.toLayer(a.get("net")), a.get("input_shape"));
                    return NoneValue.NONE;
                }));
        lib.add(Builtin.lasting(LAYERS, "save(obj, path)",
                "Writes a network's tensors (parameters and BatchNorm's buffers) to path, atomically. A .pt or .pth "
                        + "path gets PyTorch's format, as torch.save(net.state_dict(), path) writes it (PyTorch's "
                        + "load_state_dict reads it); any other path gets cnnscript's own format. save(X, \"x.pt\") "
                        + "writes one tensor as torch.save(X, path).",
                (rt, a) -> {
                    String p = a.string("path", "save() path");
                    boolean torch = TorchFile.isTorchPath(p);
                    if (a.get("obj") instanceof NDArray x) {
                        if (!torch) {
                            throw new CnnException("save(): a single tensor is saved in PyTorch's format: give a path "
                                    + "ending in .pt or .pth, e.g. save(X, \"x.pt\")");
                        }
                        TorchFile.saveTensor(x, rt.checkPath(p, true), p);
                        return NoneValue.NONE;
                    }
                    Layer net = Sequential.toLayer(a.get("obj"));
                    net.materialize(rt);
                    if (torch) {
                        TorchFile.saveState(net.state(), rt.checkPath(p, true), p);
                    } else {
                        ParamsFile.save(net.state(), rt.checkPath(p, true), p);
                    }
                    return NoneValue.NONE;
                }));
        lib.add(Builtin.lasting(LAYERS, "load(net_or_path, path=none)",
                "load(net, path) restores a network's tensors from a file save() wrote, or from a .pt/.pth file "
                        + "PyTorch wrote with torch.save(net.state_dict(), path): every name, shape and dtype is "
                        + "checked first, and a file that does not fit (each missing, extra or mismatched entry is "
                        + "named) or is damaged leaves the network as it was. X = load(\"x.pt\") reads a tensor "
                        + "torch.save(X, path) wrote. A .pt file's pickle may only name what a state_dict needs: "
                        + "anything else is refused and never run.",
                (rt, a) -> {
                    if (a.get("path") == NoneValue.NONE) {
                        String p = a.string("net_or_path", "load() path");
                        if (!TorchFile.isTorchPath(p)) {
                            throw new CnnException("load(path) reads a tensor from a .pt or .pth file; to restore a "
                                    + "network, give it too: load(net, path)");
                        }
                        TorchFile.Contents c = TorchFile.read(rt.checkPath(p, false), p, rt.maxTensorElements());
                        if (c.tensor() == null) {
                            throw new CnnException("load(): " + p + " holds a state_dict of " + c.stateDict().size()
                                    + " tensors, not one tensor: load it into a network with load(net, path)");
                        }
                        return c.tensor().toNDArray(rt.scope());
                    }
                    Layer net = Sequential.toLayer(a.get("net_or_path"));
                    String p = a.string("path", "load() path");
                    Path path = rt.checkPath(p, false);
                    net.materialize(rt);
                    if (TorchFile.isTorchPath(p)) {
                        TorchFile.Contents c = TorchFile.read(path, p, rt.maxTensorElements());
                        if (c.stateDict() == null) {
                            throw new CnnException("load(): " + p + " holds one tensor, not a state_dict: read it with "
                                    + "X = load(path)");
                        }
                        TorchFile.loadInto(net.state(), c.stateDict(), p);
                    } else {
                        ParamsFile.load(net.state(), path, p);
                    }
                    return NoneValue.NONE;
                }));
    }

    /** MaxPool, Pool or AvgPool from its arguments. */
    private static Layer pool(boolean max, Args a) {
        return BlockLayer.pool(max, a.get("kernel_size"), a.get("padding"), a.get("stride"));
    }

    /** A new layer with its parameters made, as PyTorch makes them in the constructor. */
    private static Layer made(Runtime rt, Layer l) {
        if (l instanceof BlockLayer b) {
            BlockLayer.checked(rt, b);
        }
        l.materialize(rt);
        return l;
    }

    private static void addFn(Library.Builder lib, String name, FnLayer.Kind kind, String doc) {
        FnLayer layer = FnLayer.of(kind);
        lib.addValue(name, layer, Builtin.lasting(LAYERS, FnLayer.signature(kind).text(), doc,
                (rt, a) -> FnLayer.make(kind, a)));
    }

    static OptimizerValue adam(double lr, double beta1, double beta2, double eps, double weightDecay) {
        return adam(lr, beta1, beta2, eps, weightDecay, false, false);
    }

    static OptimizerValue adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
            boolean maximize) {
        return new OptimizerValue(OptimizerValue.adam(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize),
                "Adam(lr=" + OptimizerValue.num(lr) + ", betas=(" + OptimizerValue.num(beta1) + ", "
                + OptimizerValue.num(beta2) + "), eps=" + OptimizerValue.num(eps) + ", weight_decay="
                + OptimizerValue.num(weightDecay) + (amsgrad ? ", amsgrad=True" : "") + (maximize ? ", maximize=True" : "")
                + ")");
    }

    /** PyTorch's checks of an optimizer's settings (torch.optim raises ValueError with these words). */
    private static double atLeastZero(Args a, String name, String what) {
        double v = a.toDouble(name);
        if (v < 0) {
            throw new CnnException("Invalid " + what + ": " + io.cnnscript.value.Values.repr(a.get(name)));
        }
        return v;
    }
    /**
     * PyTorch passes the parameters first ({@code Adam(net.parameters(), lr=0.1)},
     * {@code SGD(params, 0.1)}): a network, layer or list among the positional arguments is taken
     * as params=, whatever its place. A number there is never parameters, so nothing is ambiguous.
     */
    static Builtin.Arguments paramsFirst(Builtin.Arguments a) {
        Object[] pos = a.positional();
        for (int i = 0; i < pos.length; i++) {
            if (pos[i] instanceof Layer || pos[i] instanceof io.cnnscript.value.PyList || pos[i] instanceof Tuple) {
                Object[] rest = new Object[pos.length - 1];
                System.arraycopy(pos, 0, rest, 0, i);
                System.arraycopy(pos, i + 1, rest, i, pos.length - i - 1);
                String[] names = java.util.Arrays.copyOf(a.names(), a.names().length + 1);
                Object[] values = java.util.Arrays.copyOf(a.values(), a.values().length + 1);
                names[names.length - 1] = "params";
                values[values.length - 1] = pos[i];
                return new Builtin.Arguments(rest, names, values);
            }
        }
        return a;
    }

    private static void training(Library.Builder lib) {
        lib.add(Builtin.lasting(TRAINING, "Adam(lr=0.001, betas=none, eps=0.00000001, weight_decay=0, amsgrad=false, "
                + "maximize=false, beta1=0.9, beta2=0.999, params=none)",
                "The Adam optimizer, as PyTorch 1.13's torch.optim.Adam computes it (its defaults; betas=(b1, b2), "
                        + "or beta1= and beta2=, default (0.9, 0.999)). train() binds it to the network it trains; for "
                        + "a loop of your own, give params=net and call step(opt). PyTorch's order works too: "
                        + "Adam(net.parameters(), lr=0.01).",
                (rt, a) -> {
                    double lr = atLeastZero(a, "lr", "learning rate");
                    double eps = atLeastZero(a, "eps", "epsilon value");
                    double beta1 = a.toDouble("beta1");
                    double beta2 = a.toDouble("beta2");
                    Object[] betaValues = {a.get("beta1"), a.get("beta2")};
                    if (!a.isNone("betas")) {
                        List<Object> betas = Conversions.sequence(a.get("betas"), "Adam() betas");
                        if (betas.size() != 2) {
                            throw new CnnException("Adam() betas must be a pair (beta1, beta2), got " + betas.size()
                                    + " values");
                        }
                        beta1 = Conversions.toDouble(betas.get(0), "Adam() betas[0]");
                        beta2 = Conversions.toDouble(betas.get(1), "Adam() betas[1]");
                        betaValues = betas.toArray();
                    }
                    double[] bs = {beta1, beta2};
                    for (int i = 0; i < 2; i++) {
                        if (!(bs[i] >= 0 && bs[i] < 1)) {
                            throw new CnnException("Invalid beta parameter at index " + i + ": "
                                    + io.cnnscript.value.Values.repr(betaValues[i]));
                        }
                    }
                    double wd = atLeastZero(a, "weight_decay", "weight_decay value");
                    OptimizerValue o = adam(lr, beta1, beta2, eps, wd, a.truthy("amsgrad"), a.truthy("maximize"));
                    o.bind(a.get("params"));
                    return o;
                }).reordering(Nn::paramsFirst));
        lib.add(Builtin.lasting(TRAINING, "SGD(lr, momentum=0, dampening=0, weight_decay=0, nesterov=false, maximize=false, "
                + "params=none)",
                "Stochastic gradient descent as PyTorch 1.13's torch.optim.SGD computes it: momentum (with dampening, "
                        + "or Nesterov's), weight decay, maximize. PyTorch's order works too: SGD(net.parameters(), 0.1).",
                (rt, a) -> {
                    double lr = atLeastZero(a, "lr", "learning rate");
                    double m = atLeastZero(a, "momentum", "momentum value");
                    double dampening = a.toDouble("dampening");
                    double wd = atLeastZero(a, "weight_decay", "weight_decay value");
                    boolean nesterov = a.truthy("nesterov");
                    boolean maximize = a.truthy("maximize");
                    if (nesterov && (m <= 0 || dampening != 0)) {
                        throw new CnnException("Nesterov momentum requires a momentum and zero dampening");
                    }
                    OptimizerValue v = new OptimizerValue(OptimizerValue.sgd(lr, m, dampening, wd, nesterov, maximize),
                            "SGD(lr=" + OptimizerValue.num(lr) + ", momentum=" + OptimizerValue.num(m) + ", weight_decay="
                            + OptimizerValue.num(wd) + (dampening != 0 ? ", dampening=" + OptimizerValue.num(dampening) : "")
                            + (nesterov ? ", nesterov=True" : "") + (maximize ? ", maximize=True" : "") + ")");
                    v.bind(a.get("params"));
                    return v;
                }).reordering(Nn::paramsFirst));
        lib.addValue("CrossEntropy", Loss.CROSS_ENTROPY, Builtin.lasting(TRAINING, Loss.CROSS_ENTROPY.signature().text(),
                "The cross-entropy of logits input (N, C), (C,) or (N, C, d1, ...) against target class indices "
                        + "(int64, the input's shape without C) or class probabilities (float, the input's shape), as "
                        + "PyTorch's F.cross_entropy: weight per class, ignore_index, reduction \"mean\", \"sum\" or "
                        + "\"none\", label_smoothing. Without input and target it is the loss with those options, as "
                        + "nn.CrossEntropyLoss(...): loss=CrossEntropy(label_smoothing=0.1). The default loss of train().",
                (rt, a) -> Loss.CROSS_ENTROPY));
        lib.addValue("MSE", Loss.MSE, Builtin.lasting(TRAINING, Loss.MSE.signature().text(),
                "The mean squared error of input and target, as PyTorch's F.mse_loss: they broadcast together "
                        + "(with PyTorch's warning when their shapes differ); reduction \"sum\" or \"none\" as in "
                        + "PyTorch. Without input and target it is the loss (nn.MSELoss): loss=MSE in train().",
                (rt, a) -> Loss.MSE));
        lib.addValue("L1", Loss.L1, Builtin.lasting(TRAINING, Loss.L1.signature().text(),
                "The mean absolute error of input and target, as PyTorch's F.l1_loss (nn.L1Loss without "
                        + "arguments), broadcasting and warning as MSE does.",
                (rt, a) -> Loss.L1));
        lib.add(Builtin.lasting(TRAINING, "step(optimizer, *params)",
                "Updates parameters from their gradients: those the optimizer is bound to (params=, or train()), "
                        + "and any networks or param() tensors given. Gradients stay: clear them with zero_grad(net).",
                (rt, a) -> {
                    Object optimizer = a.get("optimizer");
                    if (!(optimizer instanceof OptimizerValue o)) {
                        throw new CnnException("step() needs an optimizer such as Adam(lr=0.001, params=net), not a "
                                + io.cnnscript.value.Values.typeName(optimizer));
                    }
                    o.step(o.parametersOrFail(a.rest("params").asList()));
                    return NoneValue.NONE;
                }));
        lib.add(Builtin.lasting(TRAINING,
                "train(net, train_iter, test_iter=none, epochs=10, optimizer=none, loss=none, device=\"auto\", log=none)",
                "Trains net as the notebook's train_ch5: per epoch one line 'epoch 1, loss 0.6487, train acc 0.749, "
                        + "test acc 0.747, time 7.1 sec' (mean batch loss, train accuracy over the epoch, test accuracy "
                        + "after it), with a progress bar on a terminal. optimizer defaults to Adam(lr=0.001), loss to "
                        + "CrossEntropy. log=\"runs/x\" writes TensorBoard scalars (Train Loss, Train Accuracy, Test "
                        + "Accuracy) and a fresh metrics.csv there.",
                Training::train));
        lib.add(Builtin.lasting(TRAINING, "evaluate(net, data_iter)",
                "The accuracy of net on data_iter (the share of examples whose largest output is the label), in "
                        + "evaluation mode, without gradients.",
                (rt, a) -> Training.evaluate(rt, a.get("net"), a.get("data_iter"))));
        lib.add(Builtin.lasting(TRAINING, "SummaryWriter(log_dir=none)",
                "TensorBoard logging for a loop of your own (PyTorch's SummaryWriter): writer.add_scalar(tag, value, "
                        + "step) writes an event file, and the tags Train Loss, Train Accuracy and Test Accuracy also a "
                        + "fresh metrics.csv, as train(log=) does, so plot(log_dir) draws it; writer.close() at the end. "
                        + "log_dir defaults to runs/DATE-TIME.",
                (rt, a) -> {
                    String dir = a.isNone("log_dir")
                            ? "runs/" + java.time.LocalDateTime.now().format(
                                    java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                            : a.string("log_dir", "SummaryWriter() log_dir");
                    return new SummaryWriterValue(rt.checkPath(dir, true), dir);
                }));
        lib.add(Builtin.lasting(TRAINING, "plot(log_dir, png)",
                "Draws the loss and accuracy curves that train(log=log_dir) recorded into an image file: PNG, or "
                        + "JPEG when its name ends in .jpg or .jpeg (in Jupyter it also shows in the cell).",
                (rt, a) -> {
                    String logDir = a.string("log_dir", "plot() log_dir");
                    Path dir = rt.checkPath(logDir, false);
                    // The file itself is checked too: a link in an allowed folder may lead out.
                    String shownCsv = Path.of(logDir, MetricsCsv.FILE_NAME).toString();
                    Path csv = rt.checkPath(shownCsv, false);
                    String shownPng = a.string("png", "plot() png");
                    Path png = rt.checkPath(shownPng, true);
                    try {
                        CurvePlot.plot(dir, csv, png, shownCsv, shownPng); // messages name files as written
                        if (rt.display() != null) {
                            rt.display().image(CurvePlot.pngOf(png), "<training curves: " + shownPng + ">");
                        }
                    } catch (java.io.IOException e) {
                        throw new CnnException("plot(): cannot read back " + shownPng + ": "
                                + io.cnnscript.lib.Errors.ioMessage(e));
                    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
                        throw new CnnException("plot(): " + io.cnnscript.lib.Errors.firstLine(e));
                    }
                    return NoneValue.NONE;
                }));
    }

    private static void data(Library.Builder lib) {
        lib.add(Builtin.lasting(DATA, "fashion_mnist(batch_size=256, shuffle=true, data_dir=none, sample=false, resize=none)",
                "Fashion-MNIST as (train_iter, test_iter): batches (X, y) with X float32 (B, 1, 28, 28) in [0, 1] and "
                        + "y int64 labels. Looks in data_dir, $CNN_DATA, /usr/share/datasets/fashion-mnist, ~/.cnn, "
                        + "then downloads; offline it uses the 3000/1000-image sample shipped with cnnscript (and says "
                        + "so). sample=true asks for that sample. The test split is never shuffled. resize=96 gives "
                        + "96 x 96 images as d2l's load_data_fashion_mnist(resize=96) does (Pillow's bilinear resize).",
                (rt, a) -> {
                    int batch = a.toInt("batch_size");
                    if (batch <= 0) {
                        throw new CnnException("batch_size must be positive, got " + batch);
                    }
                    boolean shuffle = a.truthy("shuffle");
                    FashionMnist data;
                    Path dir = null;
                    String shownDir = null;
                    try {
                        if (a.truthy("sample")) {
                            data = FashionMnist.loadSample();
                        } else {
                            dir = a.isNone("data_dir") ? null : rt.checkPath(a.string("data_dir"), false);
                            PrintWriter err = rt.err();
                            shownDir = dir == null ? null : a.string("data_dir");
                            Path at = dir;
                            data = FashionMnist.load(dir, System.err, line -> {
                                // The folder as the script wrote it, not where it resolved.
                                err.println(at == null ? line : line.replace(at.toString(), a.string("data_dir")));
                                err.flush();
                            }, (path, write) -> {
                                try {
                                    rt.checkPath(path.toString(), write);
                                    return true;
                                } catch (CnnException refused) {
                                    return false;
                                }
                            });
                        }
                    } catch (DatasetException e) {
                        // The folder as the script wrote it, not where it resolved.
                        throw new CnnException("fashion_mnist(): " + (dir == null ? e.getMessage()
                                : e.getMessage().replace(dir.toString(), shownDir)));
                    }
                    FashionMnist.Split train = data.train();
                    FashionMnist.Split test = data.test();
                    if (!a.isNone("resize")) {
                        int side = a.toInt("resize");
                        if (side <= 0 || side > 1024) {
                            throw new CnnException("resize must be between 1 and 1024, got " + side);
                        }
                        train = train.resized(side);
                        test = test.resized(side);
                    }
                    return Tuple.of(new DataIterable(train, "fashion-mnist train", batch, shuffle),
                            new DataIterable(test, "fashion-mnist test", batch, false));
                }));
    }

    // ------------------------------------------------------------------ summary

    static void summary(Runtime rt, Layer net, Object shapeArg) {
        List<Object> dims = Conversions.sequence(shapeArg, "summary() input_shape");
        long[] d = new long[dims.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = toLong(dims.get(i), "summary() input_shape");
            if (d[i] <= 0) {
                throw new CnnException("summary() input_shape sizes must be positive, got " + TensorFormat.shape(new Shape(d)));
            }
        }
        net.materialize(rt);
        List<Layer.Child> all = net.modules();
        boolean wasTraining = net.training;
        List<String[]> rows = new ArrayList<>();
        try (GradMode g = GradMode.disabled(); NDManager m = rt.scope().newSubManager()) {
            net.setTraining(false);
            for (Layer.Child c : all) {
                c.layer().recorded = new ArrayList<>();
            }
            NDArray x = m.zeros(new Shape(d));
            if (net instanceof Sequential s) {
                Sequential.run(rt, s.layers(), x, false, false);
            } else {
                net.apply(rt, x, false, "");
            }
            java.util.Map<Layer, Integer> seen = new java.util.IdentityHashMap<>();
            if (net.children().isEmpty()) {
                summaryRows(new Layer.Child("0", net), "", rows, seen);
            } else {
                for (Layer.Child c : net.children()) {
                    summaryRows(c, "", rows, seen);
                }
            }
        } finally {
            net.setTraining(wasTraining);
            for (Layer.Child c : all) {
                c.layer().recorded = null;
            }
        }
        long total = 0;
        for (Layer.Param p : net.parameters()) {
            total += p.value().getShape().size();
        }
        String[] head = {"Layer", "Output Shape", "Param #"};
        int[] w = {head[0].length(), head[1].length(), head[2].length()};
        for (String[] r : rows) {
            for (int c = 0; c < 3; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        PrintWriter out = rt.out();
        String line = "-".repeat(w[0] + w[1] + w[2] + 4);
        out.println(row(head, w));
        out.println("=".repeat(line.length()));
        for (String[] r : rows) {
            out.println(row(r, w));
        }
        out.println("=".repeat(line.length()));
        out.println(String.format(Locale.ROOT, "Input shape: %s", TensorFormat.shape(new Shape(d))));
        out.println(String.format(Locale.ROOT, "Total params: %,d", total));
        out.flush();
    }

    /** One row per layer of the tree, children indented under their parent. */
    private static void summaryRows(Layer.Child c, String indent, List<String[]> rows, java.util.Map<Layer, Integer> seen) {
        Layer l = c.layer();
        List<Layer.Child> children = l.children();
        long own = 0;
        boolean hasOwn = false;
        for (Layer.Param p : l.ownState()) {
            if (p.trainable()) {
                own += p.value().getShape().size();
                hasOwn = true;
            }
        }
        String count = children.isEmpty() || hasOwn ? String.format(Locale.ROOT, "%,d", own) : "--";
        int k = seen.merge(l, 1, Integer::sum) - 1;
        List<Shape> shapes = l.recorded;
        String shape = shapes == null || shapes.isEmpty() ? "--"
                : TensorFormat.shape(shapes.get(Math.min(k, shapes.size() - 1)));
        rows.add(new String[] {indent + "(" + c.name() + "): " + (children.isEmpty() ? l.text() : l.name()), shape, count});
        for (Layer.Child child : children) {
            summaryRows(child, indent + "  ", rows, seen);
        }
    }

    private static String row(String[] r, int[] w) {
        return String.format(Locale.ROOT, "%-" + w[0] + "s  %-" + w[1] + "s  %" + w[2] + "s", r[0], r[1], r[2]);
    }
}

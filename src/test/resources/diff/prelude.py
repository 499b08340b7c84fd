# cnnscript's built-ins written with PyTorch 1.13, for DifferentialTest. Each definition only
# translates arguments (dtype names, layer names, cnnscript's defaults) and leaves the
# computation to PyTorch, so that what a case computes is PyTorch's answer.
import builtins as _b
import time as _time

import torch
import torch.nn as nn
import torch.nn.functional as F

_out = None
true, false, none = True, False, None


def cnn_str(v, top=True):
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "none"
    if isinstance(v, float):
        return _b.repr(v)
    if isinstance(v, _b.str):
        return v if top else _b.repr(v)
    if isinstance(v, torch.dtype):
        return cnn_str(_b.str(v)[len("torch."):], top)
    if isinstance(v, torch.Tensor):
        if v.grad_fn is not None:
            v = v.detach()
        return torch._tensor_str._str(v)
    if isinstance(v, (torch.Size, tuple)):
        items = [cnn_str(x, False) for x in v]
        return "(" + items[0] + ",)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(v, list):
        return "[" + ", ".join(cnn_str(x, False) for x in v) + "]"
    return _b.str(v)


def print(*values, sep=" ", end="\n"):
    _out.write(sep.join(cnn_str(v) for v in values) + end)


def _dt(d):
    return None if d is None else getattr(torch, d)


def _size(size):
    return tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list, torch.Size)) else tuple(size)


def tensor(data, dtype=None, requires_grad=False):
    return torch.tensor(data, dtype=_dt(dtype), requires_grad=requires_grad)


def zeros(*size, dtype=None):
    return torch.zeros(_size(size), dtype=_dt(dtype))


def ones(*size, dtype=None):
    return torch.ones(_size(size), dtype=_dt(dtype))


def full(size, value, dtype=None):
    return torch.full(size if isinstance(size, (tuple, list, torch.Size)) else (size,), value, dtype=_dt(dtype))


def rand(*size):
    return torch.rand(_size(size))


def randn(*size):
    return torch.randn(_size(size))


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        return torch.arange(start, dtype=_dt(dtype))
    return torch.arange(start, stop, step, dtype=_dt(dtype))


def eye(n, m=None):
    return torch.eye(n) if m is None else torch.eye(n, m)


def zeros_like(x):
    return torch.zeros_like(x)


def ones_like(x):
    return torch.ones_like(x)


def as_tensor(values, dtype=None):
    return torch.as_tensor(values, dtype=_dt(dtype))


def seed(n):
    torch.manual_seed(n)


def stack(tensors, dim=0):
    return torch.stack(tensors, dim)


def cat(tensors, dim=0):
    return torch.cat(tensors, dim)


def matmul(a, b):
    return torch.matmul(a, b)


def corr2d(X, K):
    # The notebook's loop.
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


def param(x):
    return x.detach().clone().requires_grad_(True)


def backward(loss):
    loss.backward()


def zero_grad(*params):
    for p in params:
        if isinstance(p, nn.Module):
            p.zero_grad(set_to_none=False)
        elif p.grad is not None:
            p.grad.zero_()


def _type_name(x):
    if isinstance(x, bool):
        return "bool"
    if x is None:
        return "none"
    if isinstance(x, _b.str):
        return "string"
    if isinstance(x, torch.Tensor):
        return "tensor"
    if isinstance(x, nn.Module):
        return "layer"
    if callable(x):
        return "function"
    return _b.type(x).__name__


type = _type_name


def str(x):  # noqa: A001
    return cnn_str(x)


def repr(x):  # noqa: A001
    return _b.repr(x) if isinstance(x, _b.str) else cnn_str(x, False)


def time():
    return _time.monotonic()


# Layers: PyTorch's modules under cnnscript's names and defaults.
def Conv(in_channels, out_channels, kernel_size, stride=1, padding=0, groups=1, bias=True):
    return nn.Conv2d(in_channels, out_channels, kernel_size, stride=stride, padding=padding, groups=groups, bias=bias)


def MaxPool(kernel_size, stride=None, padding=0):
    return nn.MaxPool2d(kernel_size, stride=stride, padding=padding)


Pool = MaxPool


def AvgPool(kernel_size, stride=None, padding=0):
    return nn.AvgPool2d(kernel_size, stride=stride, padding=padding)


def AdaptiveAvgPool(output_size):
    return nn.AdaptiveAvgPool2d(output_size)


def AdaptiveMaxPool(output_size):
    return nn.AdaptiveMaxPool2d(output_size)


def GlobalAvgPool():
    return nn.AdaptiveAvgPool2d((1, 1))


def Linear(in_features, out_features, bias=True):
    return nn.Linear(in_features, out_features, bias=bias)


def Dropout(p=0.5):
    return nn.Dropout(p)


class _BatchNorm(nn.Module):
    # cnnscript's one BatchNorm is BatchNorm1d or BatchNorm2d by the input's rank.
    def __init__(self, num_features, eps=0.00001, momentum=0.1):
        super().__init__()
        self.d1 = nn.BatchNorm1d(num_features, eps=eps, momentum=momentum)
        self.d2 = nn.BatchNorm2d(num_features, eps=eps, momentum=momentum)
        self.d2.load_state_dict(self.d1.state_dict())

    def forward(self, x):
        self.last = self.d2 if x.dim() == 4 else self.d1
        return self.last(x)

    # the buffers and parameters of the module that ran last, as cnnscript's one BatchNorm has them
    running_mean = property(lambda self: self.last.running_mean)
    running_var = property(lambda self: self.last.running_var)
    num_batches_tracked = property(lambda self: self.last.num_batches_tracked)
    weight = property(lambda self: self.last.weight)
    bias = property(lambda self: self.last.bias)


BatchNorm = _BatchNorm


def Sigmoid():
    return nn.Sigmoid()


def ReLU():
    return nn.ReLU()


def Tanh():
    return nn.Tanh()


def Softmax(dim=1):
    return nn.Softmax(dim)


def Flatten(start_dim=1, end_dim=-1):
    return nn.Flatten(start_dim, end_dim)


def Sequential(*layers):
    # nn.Sequential; cnnscript also takes one list of layers.
    if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
        layers = layers[0]
    return nn.Sequential(*layers)


def _compose(a, b):
    # cnnscript's >> is flat: a network on either side gives its children.
    flat = []
    for l in (a, b):
        flat.extend(list(l) if isinstance(l, nn.Sequential) else [l])
    return nn.Sequential(*flat)


nn.Module.__rshift__ = _compose


# Tensor functions (issue 11); the methods are PyTorch's own.
def exp(x):
    return torch.exp(x)


def log(x):
    return torch.log(x)


def sqrt(x):
    return torch.sqrt(x)


def pow(x, exponent):  # noqa: A001
    return x ** exponent


def clamp(x, min=None, max=None):  # noqa: A002
    return torch.clamp(x, min, max)


def permute(x, dims):
    return torch.permute(x, dims)


def linspace(start, end, steps):
    return torch.linspace(start, end, steps)


def mm(a, b):
    return torch.mm(a, b)


def _params(p):
    if isinstance(p, nn.Module):
        return list(p.parameters())
    if isinstance(p, (list, tuple)):
        return [x for q in p for x in _params(q)]
    return [p]


def SGD(lr, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False, params=None):
    return torch.optim.SGD(_params(params), lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                           nesterov=nesterov, maximize=maximize)


def Adam(lr=0.001, betas=None, eps=0.00000001, weight_decay=0, amsgrad=False, maximize=False, beta1=0.9, beta2=0.999,
         params=None):
    # cnnscript also takes beta1= and beta2= for betas=(beta1, beta2).
    return torch.optim.Adam(_params(params), lr=lr, betas=(beta1, beta2) if betas is None else betas, eps=eps,
                            weight_decay=weight_decay, amsgrad=amsgrad, maximize=maximize)


def step(optimizer, *params):
    optimizer.step()


def CrossEntropy(input=None, target=None, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    # cnnscript's CrossEntropy is F.cross_entropy with input and target, nn.CrossEntropyLoss without.
    if input is None and target is None:
        return nn.CrossEntropyLoss(weight=weight, ignore_index=ignore_index, reduction=reduction,
                                   label_smoothing=label_smoothing)
    return F.cross_entropy(input, target, weight=weight, ignore_index=ignore_index, reduction=reduction,
                           label_smoothing=label_smoothing)


def MSE(input=None, target=None, reduction="mean"):
    if input is None and target is None:
        return nn.MSELoss(reduction=reduction)
    return F.mse_loss(input, target, reduction=reduction)


def L1(input=None, target=None, reduction="mean"):
    if input is None and target is None:
        return nn.L1Loss(reduction=reduction)
    return F.l1_loss(input, target, reduction=reduction)


def save(net, path):
    torch.save(net.state_dict(), path)


def load(net, path):
    net.load_state_dict(torch.load(path))

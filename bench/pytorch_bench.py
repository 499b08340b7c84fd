"""The PyTorch side of bench/run: the notebook's code run by PyTorch from Python on this machine.

Prints one JSON object: seconds per call of the naive corr2d (100x100, 3x3), microseconds per
c = a + b on 2-element tensors, and seconds per LeNet epoch (batch 256, Adam 0.001; like the
notebook's train_ch5, an epoch is the training pass and the test-accuracy pass) on the
Fashion-MNIST files given, all medians (and mins) of several repetitions, and which BLAS it ran on.
"""
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


def corr2d(X, K):
    h, w = K.shape
    Y = torch.zeros((X.shape[0] - h + 1), (X.shape[1] - w + 1))
    for i in range(Y.shape[0]):
        for j in range(Y.shape[1]):
            Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    return Y


def timed(fn, reps):
    fn()
    out = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return {"median": statistics.median(out), "min": min(out)}


def idx(path, header):
    with gzip.open(path, "rb") as f:
        data = f.read()
    return np.frombuffer(data, dtype=np.uint8, offset=header)


def lenet_epoch_seconds(data_dir, reps):
    X = torch.tensor(idx(data_dir + "/train-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28), dtype=torch.float32) / 255
    y = torch.tensor(idx(data_dir + "/train-labels-idx1-ubyte.gz", 8).astype(np.int64))
    X_test = torch.tensor(idx(data_dir + "/t10k-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28),
                          dtype=torch.float32) / 255
    y_test = torch.tensor(idx(data_dir + "/t10k-labels-idx1-ubyte.gz", 8).astype(np.int64))
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Sigmoid(), nn.MaxPool2d(2, 2), nn.Conv2d(6, 16, 5), nn.Sigmoid(),
                        nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(256, 120), nn.Sigmoid(), nn.Linear(120, 84),
                        nn.Sigmoid(), nn.Linear(84, 10))
    optimizer = torch.optim.Adam(net.parameters(), lr=0.001)
    loss = nn.CrossEntropyLoss()

    def epoch():
        perm = torch.randperm(X.shape[0])
        for start in range(0, X.shape[0], 256):
            batch = perm[start:start + 256]
            Xb, yb = X[batch], y[batch]
            y_hat = net(Xb)
            l = loss(y_hat, yb)
            optimizer.zero_grad()
            l.backward()
            optimizer.step()
            (y_hat.argmax(dim=1) == yb).sum().item()
            l.item()
        # the notebook's evaluate_accuracy, which train_ch5 times as part of each epoch
        with torch.no_grad():
            net.eval()
            for start in range(0, X_test.shape[0], 256):
                (net(X_test[start:start + 256]).argmax(dim=1) == y_test[start:start + 256]).float().sum().item()
            net.train()

    return timed(epoch, reps)


def blas():
    """Which BLAS the process has loaded: Debian's python3-torch uses whatever libblas.so.3 is."""
    torch.mm(torch.rand(64, 64), torch.rand(64, 64))
    with open("/proc/self/maps") as f:
        maps = f.read()
    for name in ("openblas", "mkl", "blis", "atlas"):
        if "lib" + name in maps:
            return name
    return "reference"



def main():
    data_dir = sys.argv[1] if len(sys.argv) > 1 else None
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    # The same threads as DJL's libtorch uses (one per core); Debian's build starts with one.
    torch.set_num_threads(os.cpu_count())
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas()}
    X = torch.rand(100, 100)
    K = torch.rand(3, 3)
    out["corr2d_s"] = timed(lambda: corr2d(X, K), 5)
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([3.0, 4.0])

    def dispatch():
        for _ in range(100000):
            c = a + b

    d = timed(dispatch, 5)
    out["dispatch_us"] = {k: v / 100000 * 1e6 for k, v in d.items()}
    if data_dir:
        # Debian's build is faster on one thread than on two for LeNet; report the better.
        best = None
        for threads in sorted({1, os.cpu_count()}):
            torch.set_num_threads(threads)
            r = lenet_epoch_seconds(data_dir, reps)
            if best is None or r["median"] < best[1]["median"]:
                best = (threads, r)
        out["lenet_threads"] = best[0]
        out["lenet_epoch_s"] = best[1]
    print(json.dumps(out))


if __name__ == "__main__":
    main()

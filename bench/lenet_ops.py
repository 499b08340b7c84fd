"""The PyTorch side of bench/ops: the heavy layers of the notebook's LeNet, forward and backward
on a batch of 256, each timed alone (the median of 7 runs of 20 calls), as LenetOps.java times
them in DJL. Prints one tab-separated ROW line per operation, in LenetOps' order."""
import os
import statistics
import time

import torch
import torch.nn.functional as F


def time_op(inp, layer, out_shape, input_grad=True):
    grad = torch.rand(out_shape)

    def once():
        x = inp.clone().requires_grad_(input_grad)
        (layer(x) * grad).sum().backward()

    for _ in range(5):
        once()
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(20):
            once()
        runs.append((time.perf_counter() - t0) / 20 * 1000)
    return statistics.median(runs)


def main():
    torch.set_num_threads(os.cpu_count())
    w1 = torch.empty(6, 1, 5, 5).uniform_(-0.2, 0.2).requires_grad_()
    b1 = torch.zeros(6, requires_grad=True)
    w2 = torch.empty(16, 6, 5, 5).uniform_(-0.08, 0.08).requires_grad_()
    b2 = torch.zeros(16, requires_grad=True)
    w3 = torch.empty(120, 256).uniform_(-0.06, 0.06).requires_grad_()
    b3 = torch.zeros(120, requires_grad=True)
    rows = [
        ("conv1 1->6 5x5", time_op(torch.rand(256, 1, 28, 28), lambda x: F.conv2d(x, w1, b1), (256, 6, 24, 24), False)),
        ("sigmoid 6x24x24", time_op(torch.rand(256, 6, 24, 24), torch.sigmoid, (256, 6, 24, 24))),
        ("maxpool 2x2 on 6x24x24", time_op(torch.rand(256, 6, 24, 24), lambda x: F.max_pool2d(x, 2, 2), (256, 6, 12, 12))),
        ("conv2 6->16 5x5", time_op(torch.rand(256, 6, 12, 12), lambda x: F.conv2d(x, w2, b2), (256, 16, 8, 8))),
        ("maxpool 2x2 on 16x8x8", time_op(torch.rand(256, 16, 8, 8), lambda x: F.max_pool2d(x, 2, 2), (256, 16, 4, 4))),
        ("linear 256->120", time_op(torch.rand(256, 256), lambda x: F.linear(x, w3, b3), (256, 120))),
    ]
    for name, ms in rows:
        print("ROW\t%s\t%.3f" % (name, ms))


if __name__ == "__main__":
    main()

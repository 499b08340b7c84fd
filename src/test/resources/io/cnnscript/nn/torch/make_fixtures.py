"""Writes the PyTorch files TorchFileTest loads, so that those tests run where PyTorch is missing.

Run from this folder with Debian's PyTorch 1.13:  /usr/bin/python3 make_fixtures.py
Every file is small; the network is the one the tests build in cnnscript:
    Conv(1, 2, 3) >> BatchNorm(2) >> Sigmoid >> MaxPool(2, 2) >> Flatten >> Linear(8, 3)
on a (2, 1, 6, 6) input, trained for two steps so that BatchNorm's running statistics and
num_batches_tracked are not their initial values.
"""
import io
import os
import pickle
import zipfile

import torch
from torch import nn


def small_net():
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Sigmoid(), nn.MaxPool2d(2, 2),
                         nn.Flatten(), nn.Linear(8, 3))


def flat_net():
    return nn.Sequential(nn.Conv2d(1, 2, 3), nn.Sigmoid(), nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(8, 3))


torch.manual_seed(3)
x = torch.rand(2, 1, 6, 6)
torch.save(x, "x.pt")

# The flat net (no BatchNorm): zip and legacy formats, float32 and float64.
flat = flat_net()
torch.save(flat.state_dict(), "flat.pt")
torch.save(flat.state_dict(), "flat-legacy.pt", _use_new_zipfile_serialization=False)
torch.save(flat(x).detach(), "flat-y.pt")
torch.save(flat.double().state_dict(), "flat-float64.pt")

# The net with BatchNorm, after two training steps; its output in evaluation mode.
net = small_net()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for _ in range(2):
    opt.zero_grad()
    net(x).sum().backward()
    opt.step()
net.eval()
torch.save(net.state_dict(), "bn.pt")
torch.save(net(x).detach(), "bn-y.pt")

# Single tensors: a non-contiguous view (the file keeps the whole storage and the strides),
# and int64.
torch.save(torch.arange(12, dtype=torch.float64).reshape(3, 4).t(), "transposed.pt")
torch.save(torch.tensor([[1, -2], [3, 4]], dtype=torch.int64), "int64.pt")

# A whole pickled model rather than its state_dict.
torch.save(flat, "whole-model.pt")


# A weights file whose pickle calls os.system: torch.save's zip layout, a hostile data.pkl.
class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


evil = pickle.dumps(Evil(), protocol=2).replace(b"cposix\nsystem\n", b"cos\nsystem\n")
with zipfile.ZipFile("os-system.pt", "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", evil)
    z.writestr("archive/version", "3\n")

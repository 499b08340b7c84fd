"""Rebuilds cnn-chapter.ipynb: the chapter's cells from ../0*.cnn, split at blank lines (their
comments become the text between cells), with picture cells between them, then runs it with
nbclient on the cnnscript kernel and stores it with its outputs.

    ./cnn --install-kernel && /usr/bin/python3 examples/notebooks/build.py

Cells taken from a script carry metadata {"script": "examples/NAME.cnn"}: together they are the
script without its comments; NotebookTest checks that their text output is what the same cells
print when run as one script.
"""
import os
import sys
import tempfile

import nbformat
from nbclient import NotebookClient

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.dirname(HERE)

INTRO = """# Convolutional neural networks, in cnnscript

The cells of the CNN chapter (cross-correlation, edges, learning a kernel, padding and stride,
channels, pooling, LeNet) written in cnnscript and run on its Jupyter kernel. The tensors are
PyTorch's and print as PyTorch prints them. `show(X)` draws tensors as pictures.

Install the kernel with `./cnn --install-kernel`, then pick *cnnscript* as the notebook's kernel."""

SECTIONS = [
    ("md", INTRO),
    ("md", "## 2-D cross-correlation"),
    ("script", "01-corr2d.cnn"),
    ("md", "## Detecting edges"),
    ("script", "02-edges.cnn"),
    ("md", "The input, and the edges the kernel `[1, -1]` finds (white: +1, black: -1):"),
    ("code", 'show(X, labels=["X"])\nshow(Y, labels=["corr2d(X, K)"])'),
    ("md", "## Learning the kernel"),
    ("script", "03-learn-kernel.cnn"),
    ("md", "The learned kernel beside the true one:"),
    ("code", 'show(stack([K.float(), weight.data]), labels=["K", "learned"])'),
    ("md", "## Padding and stride"),
    ("script", "04-padding-stride.cnn"),
    ("md", "## Channels"),
    ("script", "05-channels.cnn"),
    ("md", "The three input channels of the 1x1 example as pictures:"),
    ("code", 'show(X, labels=["channel 0", "channel 1", "channel 2"])'),
    ("md", "## Pooling"),
    ("script", "06-pooling.cnn"),
    ("md", "## LeNet on the Fashion-MNIST sample"),
    ("script", "08-lenet-quick.cnn"),
    ("md", "Some test images with their labels and what the trained network says:"),
    ("code", """names = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]
for X, y in test_iter { break }
X, y = X[0:16], y[0:16]
predicted = net(X).argmax(1)
show(X, labels=[names[int(t)] + " / " + names[int(p)] for t, p in zip(y, predicted)], cols=8)"""),
    ("md", "The six kernels the first convolution learned:"),
    ("code", """for name, p in net.named_parameters() { if name == "0.weight" { w1 = p } }
show(w1, labels=["kernel %d" % i for i in range(6)])"""),
    ("md", "The first image's feature maps after the first convolution and after the first pooling:"),
    ("code", """first = X[0:1]
show(net[0](first)[0], labels=["conv %d" % i for i in range(6)])
show(net[2](net[1](net[0](first)))[0], labels=["pooled %d" % i for i in range(6)])"""),
]


def chunks(lines):
    """Paragraphs split at blank lines, kept whole while a bracket is open."""
    out, current, depth = [], [], 0
    for line in lines:
        code = line.split("#", 1)[0]
        if not line.strip() and depth == 0:
            if current:
                out.append(current)
            current = []
            continue
        current.append(line)
        depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
    if current:
        out.append(current)
    return out


def script_cells(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        lines = f.read().split("\n")
    cells = []
    for chunk in chunks(lines):
        comments = []
        while chunk and chunk[0].lstrip().startswith("#"):
            comments.append(chunk.pop(0).lstrip()[1:].strip())
        if comments:
            cells.append(nbformat.v4.new_markdown_cell(" ".join(comments)))
        if chunk:
            code = "\n".join(l for l in chunk if not l.lstrip().startswith("#"))
            cell = nbformat.v4.new_code_cell(code)
            cell.metadata["script"] = "examples/" + name
            cells.append(cell)
    return cells


def build():
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "cnnscript", "display_name": "cnnscript", "language": "cnnscript"}
    for kind, text in SECTIONS:
        if kind == "md":
            nb.cells.append(nbformat.v4.new_markdown_cell(text))
        elif kind == "code":
            nb.cells.append(nbformat.v4.new_code_cell(text))
        else:
            nb.cells.extend(script_cells(text))
    return nb


def run(nb, workdir):
    NotebookClient(nb, kernel_name="cnnscript", timeout=900, resources={"metadata": {"path": workdir}}).execute()
    return nb


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "cnn-chapter.ipynb")
    with tempfile.TemporaryDirectory() as work:
        nb = run(build(), work)
    nbformat.validate(nb)
    tmp = target + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    os.replace(tmp, target)
    print("wrote", target)

"""Runs a notebook with nbclient on the cnnscript kernel, as `jupyter execute` does, and writes
the executed notebook. Usage: run_notebook.py NOTEBOOK EXECUTED WORKDIR"""
import json
import sys
import time

import nbformat
from nbclient import NotebookClient

source, target, workdir = sys.argv[1:4]
nb = nbformat.read(source, as_version=4)
for cell in nb.cells:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
start = time.monotonic()
NotebookClient(nb, kernel_name="cnnscript", timeout=900, resources={"metadata": {"path": workdir}}).execute()
nbformat.validate(nb)
nbformat.write(nb, target)
print(json.dumps({"seconds": time.monotonic() - start}))

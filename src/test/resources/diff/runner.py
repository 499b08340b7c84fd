# The PyTorch side of DifferentialTest: reads {"cases": [{"id": ..., "code": ...}, ...]} as JSON
# on stdin, runs each case's Python code (translated from cnnscript by the test) in a fresh
# namespace built from prelude.py, and writes one JSON line per case: what it printed, and the
# error it stopped with (null when it ran to the end). Printing goes through cnn_str, which shows
# values as cnnscript prints them (true/none, tuples for torch.Size, dtypes by name, tensors
# without grad_fn), so that the two outputs can be compared text for text.
import io
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")
import torch  # noqa: E402

torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "prelude.py"), encoding="utf-8") as f:
    prelude = compile(f.read(), "prelude.py", "exec")
base = {}
exec(prelude, base)

request = json.load(sys.stdin)
out = sys.stdout
for case in request["cases"]:
    buf = io.StringIO()
    base["_out"] = buf
    ns = dict(base)
    error = None
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            exec(compile(case["code"], "case.py", "exec"), ns)
        except Exception as e:  # every error a case raises is part of its answer
            error = type(e).__name__ + ": " + str(e).split("\n")[0]
    # The warnings, each as "UserWarning: text"; the test compares them for the topics that ask.
    shown = [w.category.__name__ + ": " + str(w.message) for w in caught]
    out.write(json.dumps({"id": case["id"], "out": buf.getvalue(), "error": error, "warnings": shown,
                          "ms": (time.perf_counter() - started) * 1000}) + "\n")
out.flush()

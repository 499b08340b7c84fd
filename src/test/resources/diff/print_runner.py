# The PyTorch side of PrintingDifferentialTest: reads one JSON request per line on stdin and
# answers each with one JSON line {"id": ..., "text": ...}:
#   {"id", "kind": "tensor", "dtype", "shape", "hex"}  the tensor with exactly these bytes (native
#       order), printed as PyTorch 1.13 prints it: repr(t), default print options
#   {"id", "kind": "float", "hex"}                     a Python float from its 64 bits: repr(x)
import json
import struct
import sys

import torch

DTYPES = {
    "float32": torch.float32, "float64": torch.float64, "float16": torch.float16,
    "bfloat16": torch.bfloat16, "int64": torch.int64, "int32": torch.int32,
    "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8, "bool": torch.bool,
}

out = sys.stdout
for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    if req["kind"] == "float":
        text = repr(struct.unpack("<d", bytes.fromhex(req["hex"]))[0])
    else:
        dtype = DTYPES[req["dtype"]]
        shape = tuple(req["shape"])
        data = bytes.fromhex(req["hex"])
        if len(data) == 0:
            t = torch.empty(shape, dtype=dtype)
        else:
            t = torch.frombuffer(bytearray(data), dtype=dtype).reshape(shape)
        text = repr(t)
    out.write(json.dumps({"id": req["id"], "text": text}) + "\n")
out.flush()

"""Drives the cnnscript kernel with jupyter_client, as a front end does, and prints what it saw
as one JSON object (JupyterKernelTest checks it). Usage: drive_kernel.py KERNEL_LOG_FILE"""
import json
import queue
import os
import signal
import socket
import statistics
import sys
import time

from jupyter_client import KernelManager
from jupyter_client.session import Session

log_path = sys.argv[1]
seen = {}

km = KernelManager(kernel_name="cnnscript")
t0 = time.monotonic()
with open(log_path, "w") as log:
    km.start_kernel(stderr=log)
kc = km.client()
kc.start_channels()
kc.wait_for_ready(timeout=120)
seen["start_to_kernel_info_s"] = time.monotonic() - t0
seen["kernel_info"] = kc.kernel_info(reply=True, timeout=30)["content"]
seen["cwd"] = os.getcwd()


def run(code, timeout=120, **kw):
    msg_id = kc.execute(code, **kw)
    return collect(msg_id, timeout)


def collect(msg_id, timeout=120):
    outputs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        t = m["msg_type"]
        if t == "status":
            outputs.append(["status", m["content"]["execution_state"]])
            if m["content"]["execution_state"] == "idle":
                break
            continue
        outputs.append([t, m["content"]])
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == msg_id:
            return {"reply": r["content"], "iopub": outputs}


def reply_to(request_id, timeout=30):
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r["parent_header"].get("msg_id") == request_id:
            return r["content"]


seen["first"] = run("X = tensor[[0, 1, 2], [3, 4, 5], [6, 7, 8]]\nprint(X.sum())\nX * 2")
seen["error"] = run("y = X + undefined_name")
seen["after_error"] = run("print(X.shape)\nX[0, 1]")
seen["silent"] = run("print(\"hidden\")\n5", silent=True)
seen["hidden_value"] = run("z = 7;")
seen["complete_zer"] = reply_to(kc.complete("zer", 3))
seen["complete_member"] = reply_to(kc.complete("y = X.su", 8))
seen["is_complete_open"] = reply_to(kc.is_complete("fn f(a) {"))
seen["is_complete_done"] = reply_to(kc.is_complete("fn f(a) { return a }"))
seen["inspect_variable"] = reply_to(kc.inspect("X", 1))
seen["inspect_builtin"] = reply_to(kc.inspect("zeros(", 6))
seen["history"] = reply_to(kc.history())

# Training shows its progress as one display updated in place, its epoch lines as text, and
# plot() shows its picture in the cell.
seen["train_and_plot"] = run("""seed(1)
tr, te = fashion_mnist(batch_size=500, sample=true)
net = Flatten >> Linear(784, 10)
train(net, tr, te, epochs=2, log="runs/quick")
plot("runs/quick", "runs/quick/curves.png")""", timeout=600)

# Interrupt by message (the kernelspec's interrupt_mode), then by SIGINT.
for how in ("message", "signal"):
    msg_id = kc.execute("n = 0\nwhile true { n += 1 }")
    time.sleep(1.5)
    if how == "message":
        km.interrupt_kernel()
    else:
        km.signal_kernel(signal.SIGINT)
    seen["interrupted_by_" + how] = collect(msg_id, 60)
seen["after_interrupt"] = run("print(X.shape, n > 0)")

# A message signed with another key is dropped (and logged); a malformed one is dropped too.
bad = Session(key=b"not-the-key")
bad_msg = bad.msg("execute_request", content={"code": "X = 999", "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False})
bad.send(kc.shell_channel.socket, bad_msg)
kc.shell_channel.socket.send_multipart([b"<IDS|MSG>", b"0", b"{not json", b"{}", b"{}", b"{}"])
kc.shell_channel.socket.send_multipart([b"no delimiter at all"])
time.sleep(1.0)
seen["after_bad_messages"] = run("print(X.shape)")
try:
    stray = kc.get_shell_msg(timeout=0.5)
    seen["bad_message_answered"] = stray["parent_header"].get("msg_id")
except queue.Empty:
    seen["bad_message_answered"] = None

# Warm latency of a small cell.
times = []
for _ in range(20):
    t = time.monotonic()
    run("1 + 1")
    times.append(time.monotonic() - t)
seen["warm_1_plus_1_ms"] = {"median": statistics.median(times) * 1000, "min": min(times) * 1000}

conn = km.get_connection_info()
ports = [conn[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
shutdown_id = kc.shutdown(restart=False)
seen["shutdown"] = kc.get_control_msg(timeout=30)["content"] if hasattr(kc, "get_control_msg") else None
process = km.provisioner.process if km.provisioner else km.kernel
deadline = time.monotonic() + 30
while process.poll() is None and time.monotonic() < deadline:
    time.sleep(0.05)
seen["exit_code"] = process.poll()
free = []
for p in ports:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((conn["ip"], p))
        free.append(True)
    except OSError:
        free.append(False)
    finally:
        s.close()
seen["ports_free"] = free
kc.stop_channels()
km.cleanup_resources()
with open(log_path) as log:
    seen["kernel_log"] = log.read()
print(json.dumps(seen))

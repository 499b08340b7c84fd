"""Times the Jupyter kernel as a front end sees it: from starting it to its kernel_info_reply,
and the round trip of `1 + 1` once warm (execute_request sent until status idle and the
execute_reply are in). Installs the kernelspec from this checkout into a temporary data folder.

    /usr/bin/python3 bench/kernel-timing.py [runs] [warm-cells]
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client import KernelManager

runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
cells = int(sys.argv[2]) if len(sys.argv) > 2 else 50
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

with tempfile.TemporaryDirectory() as tmp:
    env = dict(os.environ, JUPYTER_DATA_DIR=tmp, JUPYTER_PATH=tmp)
    subprocess.run([os.path.join(root, "cnn"), "--install-kernel"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([os.path.join(root, "cnn"), "-e", "1"], env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(JUPYTER_DATA_DIR=tmp, JUPYTER_PATH=tmp, CNN_JAVA_OPTS="-Dcnn.timing=true")
    starts, jvm, cpu, warm_median, warm_min = [], [], [], [], []
    for r in range(runs):
        log_path = os.path.join(tmp, "kernel-%d.log" % r)
        km = KernelManager(kernel_name="cnnscript")
        t0 = time.monotonic()
        with open(log_path, "w") as log:
            km.start_kernel(stderr=log, cwd=tmp)
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        starts.append(time.monotonic() - t0)

        def run(code):
            msg_id = kc.execute(code)
            while True:
                m = kc.get_iopub_msg(timeout=120)
                if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                        and m["content"]["execution_state"] == "idle"):
                    break
            while kc.get_shell_msg(timeout=120)["parent_header"].get("msg_id") != msg_id:
                pass

        run("1 + 1")  # the first cell waits for the tensor engine
        times = []
        for _ in range(cells):
            t = time.monotonic()
            run("1 + 1")
            times.append((time.monotonic() - t) * 1000)
        warm_median.append(statistics.median(times))
        warm_min.append(min(times))
        km.shutdown_kernel()
        kc.stop_channels()
        with open(log_path) as log:
            m = re.search(r"first kernel_info_reply (\d+) ms after the JVM started, (\d+) ms of processor", log.read())
        if m:
            jvm.append(int(m.group(1)) / 1000)
            cpu.append(int(m.group(2)) / 1000)

    def show(name, values, unit, digits):
        print("%-44s median %s%s, min %s%s" % (name, round(statistics.median(values), digits), unit,
                                              round(min(values), digits), unit))

    print("load average: %.1f %.1f %.1f" % os.getloadavg())
    show("start to kernel_info_reply (front end)", starts, " s", 2)
    if jvm:
        show("JVM start to kernel_info_reply (kernel log)", jvm, " s", 2)
        show("processor time until then", cpu, " s", 2)
    show("1 + 1 warm, median of %d per run" % cells, warm_median, " ms", 1)
    show("1 + 1 warm, fastest per run", warm_min, " ms", 1)

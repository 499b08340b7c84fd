"""Time from starting ./cnn in a terminal to its first prompt, and to the answer of "1 + 1" typed
as soon as the prompt shows (that one waits for the native engine).

The REPL runs on a pseudo-terminal, as in a terminal window; this script blocks on the terminal's
output instead of polling a screen, so the measurement itself takes no processor time from the
REPL. Prints one line per run, then the medians.

usage: python3 bench/time-to-prompt.py [RUNS]
"""
import fcntl
import os
import pty
import re
import select
import statistics
import struct
import sys
import tempfile
import termios
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


ANSI = re.compile(rb"\x1b(\[[0-9;?]*[A-Za-z]|[=>])")


def read_until(fd, needle, deadline):
    """Reads the terminal until needle shows in the text (colours and modes left out)."""
    seen = b""
    while needle not in ANSI.sub(b"", seen):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no %r from the REPL; it printed %r" % (needle, seen[-300:]))
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                raise EOFError("the REPL ended; it printed %r" % seen[-300:])
            seen += chunk
    return seen


def one_run(home):
    env = dict(os.environ, TERM="xterm-256color", HOME=home)
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        # a 120x40 window, set before the REPL asks for its size
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.chdir(HERE)
        os.execve("./cnn", ["./cnn"], env)
    try:
        read_until(fd, b">>> ", start + 60)
        prompt = time.monotonic() - start
        os.write(fd, b"1 + 1\r")
        seen = read_until(fd, b"\n2\r\n", start + 60)
        answer = time.monotonic() - start
        if b"2\r\n>>> " not in ANSI.sub(b"", seen):
            read_until(fd, b">>> ", start + 60)  # Ctrl-D only once the REPL reads again
        os.write(fd, b"\x04")
        return prompt, answer
    finally:
        try:
            read_until(fd, b"\0never", time.monotonic() + 10)
        except (EOFError, TimeoutError):
            pass
        for _ in range(100):
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    with tempfile.TemporaryDirectory() as home:
        one_run(home)  # warms the file cache (and builds the class archive if it is missing)
        prompts, answers = [], []
        for i in range(runs):
            p, a = one_run(home)
            prompts.append(p)
            answers.append(a)
            print("run %d: prompt after %d ms, first answer after %d ms" % (i + 1, p * 1000, a * 1000))
    load = open("/proc/loadavg").read().split()[0]
    print("median: prompt %d ms, first answer %d ms (min %d ms, %d ms; %d cores, load average %s)" % (
        statistics.median(prompts) * 1000, statistics.median(answers) * 1000, min(prompts) * 1000,
        min(answers) * 1000, os.cpu_count(), load))


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# Measures the REPL's start-up in a real terminal (tmux): the wall time from starting ./cnn to
# the ">>>" prompt on the screen, and to the answer of "1 + 1" typed as soon as the prompt shows
# (that one waits for the native engine). Prints one line per run, then the medians.
# usage: bench/time-to-prompt.sh [RUNS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=${1:-7}
command -v tmux >/dev/null || { echo "time-to-prompt: needs tmux" >&2; exit 1; }
"$here/cnn" -e 'print(1)' >/dev/null 2>&1   # build first, so no run pays for it
home=$(mktemp -d)
sock="ttp-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$home"' EXIT
now() { date +%s%N; }
prompts=(); answers=()
for i in $(seq 1 "$runs"); do
  tmux -L "$sock" kill-server 2>/dev/null || true
  start=$(now)
  tmux -L "$sock" new-session -d -s t -x 120 -y 40 "cd '$here' && TERM=xterm-256color HOME='$home' ./cnn"
  until tmux -L "$sock" capture-pane -p -t t | grep -q '^>>>'; do sleep 0.005; done
  prompt=$(( ($(now) - start) / 1000000 ))
  tmux -L "$sock" send-keys -t t -l '1 + 1'; tmux -L "$sock" send-keys -t t Enter
  until tmux -L "$sock" capture-pane -p -t t | grep -qx '2'; do sleep 0.005; done
  answer=$(( ($(now) - start) / 1000000 ))
  echo "run $i: prompt after $prompt ms, first answer after $answer ms"
  prompts+=("$prompt"); answers+=("$answer")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: prompt $(median "${prompts[@]}") ms, first answer $(median "${answers[@]}") ms" \
     "($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg))"

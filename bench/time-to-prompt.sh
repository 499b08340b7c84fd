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
# One tmux server for all runs, started before the clock: each run is a new window in it.
tmux -L "$sock" new-session -d -s t -x 120 -y 40 "sleep 3600"
for i in $(seq 1 "$runs"); do
  start=$(now)
  tmux -L "$sock" new-window -d -t t -n "r$i" "cd '$here' && TERM=xterm-256color HOME='$home' ./cnn"
  until tmux -L "$sock" capture-pane -p -t "t:r$i" | grep -q '^>>>'; do sleep 0.005; done
  prompt=$(( ($(now) - start) / 1000000 ))
  tmux -L "$sock" send-keys -t "t:r$i" -l '1 + 1'; tmux -L "$sock" send-keys -t "t:r$i" Enter
  until tmux -L "$sock" capture-pane -p -t "t:r$i" | grep -qx '2'; do sleep 0.005; done
  answer=$(( ($(now) - start) / 1000000 ))
  tmux -L "$sock" kill-window -t "t:r$i"
  echo "run $i: prompt after $prompt ms, first answer after $answer ms"
  prompts+=("$prompt"); answers+=("$answer")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "median: prompt $(median "${prompts[@]}") ms, first answer $(median "${answers[@]}") ms" \
     "($(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg))"

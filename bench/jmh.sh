#!/usr/bin/env bash
# bench/jmh.sh [JMH options]: the micro rows (op dispatch, scalar loop, naive corr2d) under JMH,
# each cnnscript side beside its Java baseline. Fetches JMH 1.37 from Maven Central on first use
# (into target/jmh-lib). About 8 minutes with the defaults (2 forks, 5 warm-up and 5 measured
# iterations of 2 s per benchmark); e.g. "bench/jmh.sh -f 1 -wi 2 -i 3" for a quicker look.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/target/cnnscript.jar"
"$here/cnn" -e '1' >/dev/null            # the launcher builds the project when needed
lib="$here/target/jmh-lib"
if [ ! -f "$lib/.complete" ]; then
  mkdir -p "$lib"
  for a in org.openjdk.jmh:jmh-core:1.37 org.openjdk.jmh:jmh-generator-annprocess:1.37 \
           net.sf.jopt-simple:jopt-simple:5.0.4 org.apache.commons:commons-math3:3.6.1; do
    (cd "$here" && mvn -q -B -Dstyle.color=never dependency:copy -Dartifact="$a" -DoutputDirectory="$lib") >&2
  done
  touch "$lib/.complete"
fi
out="$here/target/jmh-classes"
rm -rf "$out"
mkdir -p "$out"
cp="$jar:$here/target/lib/*:$lib/*"
procpath=$(ls "$lib"/*.jar | tr '\n' ':')
javac -nowarn -processorpath "$procpath" -d "$out" -cp "$cp" \
  "$here"/bench/jmh/io/cnnscript/bench/jmh/*.java "$here"/bench/src/io/cnnscript/bench/*.java 2>&1 | grep -v '^Note:' >&2 || true
export GLIBC_TUNABLES="${GLIBC_TUNABLES:-glibc.malloc.arena_max=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=1073741824}"
java -cp "$out:$cp" org.openjdk.jmh.Main "$@" 2> >(grep -v 'Could not initialize NNPACK' >&2 || true)

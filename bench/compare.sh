#!/usr/bin/env bash
# Compares builds of kubesim-bench on one figure, in alternating runs so that the host's
# drift (this machine's wall times move by several per cent over minutes) falls on all of
# them alike. For each build: the best run, the median, and the mean of its better half of
# the runs, which is what BENCHMARKS.md reports.
#
#   bench/compare.sh 12 seed  ./kubesim-bench-before ./kubesim-bench-after
#   bench/compare.sh 8  scale ./kubesim-bench-before ./kubesim-bench-after
#
# seed: seed_3_replicas_to_running_median (ms, lower is better);
# scale: scale_pods_per_second (pods/s, higher is better).
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 RUNS seed|scale BENCH [BENCH...]" >&2
  exit 2
fi
runs=$1
figure=$2
shift 2
case "$figure" in
  seed) args=--seed-only; line=seed_3_replicas_to_running_median; better=lower ;;
  scale) args=--scale-only; line=scale_pods_per_second; better=higher ;;
  *) echo "figure must be seed or scale" >&2; exit 2 ;;
esac

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for _ in $(seq "$runs"); do
  for bench in "$@"; do
    value=$("$bench" $args | awk -v l="$line" '$1 == l { print $2 }')
    [ -n "$value" ] || { echo "$bench printed no $line" >&2; exit 1; }
    echo "$bench $value" >> "$results"
  done
done

python3 - "$results" "$better" "$@" <<'EOF'
import sys
path, better, benches = sys.argv[1], sys.argv[2], sys.argv[3:]
values = {b: [] for b in benches}
for line in open(path):
    bench, value = line.rsplit(" ", 1)
    values[bench].append(float(value))
for bench in benches:
    v = sorted(values[bench], reverse=(better == "higher"))
    half = v[: max(1, len(v) // 2)]
    print(f"{bench}: best {v[0]:g}  median {v[len(v) // 2]:g}  better-half mean {sum(half) / len(half):.4g}")
EOF

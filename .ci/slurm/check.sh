#!/usr/bin/env bash
# CI: `report build --executor slurm` on a one-node Slurm cluster on localhost.
#  1. the small chapter set in .ci/slurm/chapters built locally and through Slurm gives
#     the same manifest.json (so the same bytes);
#  2. an array cancelled mid-way (scancel) makes the build fail with a list of the
#     cancelled runs, leaves the site alone and keeps the finished runs;
#  3. Ctrl-C (SIGINT) while waiting cancels the array and says so;
#  4. a node on another OpenBLAS core trains portable runs to the same bits, and a task
#     of an OpenBLAS-kernel build on another core refuses to train;
#  5. the next build submits only the missing runs and ends with the same manifest.
# Usage: .ci/slurm/check.sh [REPORT_EXECUTABLE]   (default: .build/release/report)
set -euo pipefail
cd "$(dirname "$0")/../.."

report=$(realpath "${1:-.build/release/report}")
chapters=.ci/slurm/chapters
work=$(mktemp -d /tmp/report-slurm-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

eval "$(.ci/slurm/start-local-cluster.sh)"
fail() { echo "slurm check: $*" >&2; exit 1; }
runs_in() { find "$1/runs" -name '*.run' 2>/dev/null | wc -l; }
wait_for_runs() {  # CACHE COUNT: wait until the cache holds COUNT runs (at most 120 s)
  for _ in $(seq 1200); do [ "$(runs_in "$1")" -ge "$2" ] && return 0; sleep 0.1; done
  fail "no $2 runs in $1 after 120 s"
}
build() { "$report" build --chapters "$chapters" "$@"; }

echo "--- local and Slurm builds of the small chapter set"
start=$(date +%s%N)
build --output "$work/local" --cache "$work/cache-local"
echo "local build: $(( ($(date +%s%N) - start) / 1000000 )) ms"
start=$(date +%s%N)
build --executor slurm --output "$work/slurm" --cache "$work/cache-slurm"
echo "Slurm build: $(( ($(date +%s%N) - start) / 1000000 )) ms"
cmp "$work/local/manifest.json" "$work/slurm/manifest.json" || fail "Slurm site differs from the local one"
echo "manifests identical"

echo "--- scancel mid-way"
cache=$work/cache-resume
"$report" build --chapters "$chapters" --executor slurm --slurm-max-parallel 1 \
  --output "$work/resume" --cache "$cache" >"$work/scancel.log" 2>&1 &
pid=$!
wait_for_runs "$cache" 2
job=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["arrays"][0]["job"])' \
  "$cache/slurm/submitted.json")
scancel "$job"
status=0; wait "$pid" || status=$?
cat "$work/scancel.log"
[ "$status" -ne 0 ] || fail "the build succeeded although its array was cancelled"
grep -q "runs failed in Slurm job array $job; the site was not changed" "$work/scancel.log" \
  || fail "no failure report"
grep -q "job ${job}_[0-9]*, CANCELLED" "$work/scancel.log" || fail "no CANCELLED run listed"
[ ! -e "$work/resume" ] || fail "the failed build wrote a site"
kept=$(runs_in "$cache")
[ "$kept" -ge 2 ] || fail "finished runs were not kept"

echo "--- Ctrl-C while waiting"
"$report" build --chapters "$chapters" --executor slurm --slurm-max-parallel 1 \
  --output "$work/resume" --cache "$cache" >"$work/sigint.log" 2>&1 &
pid=$!
wait_for_runs "$cache" $((kept + 1))
kill -INT "$pid"
status=0; wait "$pid" || status=$?
cat "$work/sigint.log"
[ "$status" -ne 0 ] || fail "the interrupted build succeeded"
grep -q "^interrupted: cancelled Slurm job array" "$work/sigint.log" || fail "no interruption message"
[ -z "$(squeue -h -u "$(id -un)")" ] || fail "the array was not cancelled"
[ ! -e "$work/resume" ] || fail "the interrupted build wrote a site"

echo "--- a node on another OpenBLAS core trains portable runs to the same bits"
build --executor slurm --output "$work/other-core" --cache "$work/cache-other-core" \
  --slurm-option=--export=ALL,REPORT_BLAS_CORETYPE=Prescott
cmp "$work/local/manifest.json" "$work/other-core/manifest.json" \
  || fail "portable runs trained on another OpenBLAS core differ"
echo "manifests identical"

echo "--- an OpenBLAS-kernel task on another core refuses"
if build --kernel openblas --executor slurm --output "$work/openblas" --cache "$work/cache-openblas" \
  --slurm-option=--export=ALL,REPORT_BLAS_CORETYPE=Prescott >"$work/kernel.log" 2>&1; then
  fail "a task trained with another kernel"
fi
grep -q "it has BLAS kernel Prescott but the run's key needs" "$work/kernel.log" \
  || { cat "$work/kernel.log"; fail "no kernel refusal"; }
head -n 3 "$work/kernel.log"
[ "$(runs_in "$work/cache-openblas")" -eq 0 ] || fail "a refused run was stored"

echo "--- resume: only the missing runs"
before=$(runs_in "$cache")
total=$(runs_in "$work/cache-local")
build --executor slurm --output "$work/resume" --cache "$cache" 2>&1 | tee "$work/resume.log"
grep -Eq "$((total - before)) runs? executed, $before cached" "$work/resume.log" \
  || fail "resume did not train exactly the $((total - before)) missing runs"
cmp "$work/local/manifest.json" "$work/resume/manifest.json" || fail "resumed site differs"
echo "slurm check passed"

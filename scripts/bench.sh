#!/usr/bin/env bash
# bench.sh [small|medium]: the figures the README quotes, from one command.
#
#   small   200k population, 100k registry, 20k batch (about a minute)
#   medium  2M population, 1M registry, 100k batch (a few minutes)
#
# Writes bench/results/<tier>.json and bench/results/<tier>.md: names/s,
# index build rows/s and peak RSS, batch rows/s, and the quality figures
# against the generator's truth.  Speed is reported, never asserted.
set -euo pipefail
cd "$(dirname "$0")/.."
tier=${1:-small}
case "$tier" in
small) pop=200000 reg=100000 batch=20000 ;;
medium) pop=2000000 reg=1000000 batch=100000 ;;
*)
    echo "bench.sh: unknown tier '$tier' (small, medium)" >&2
    exit 1
    ;;
esac
X=${XUEJI:-build/xueji}
out=bench/results
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

timed() { # timed NAME CMD...: runs CMD, records seconds and peak RSS (KB)
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" 2>"$work/$name.err" >"$work/$name.out"
}
secs() { cut -d' ' -f1 "$work/$1.time"; }
rss() { cut -d' ' -f2 "$work/$1.time"; }

timed normalize "$X" bench normalize --count 2000000
timed gen "$X" gen --out "$work/d" --population "$pop" --registry "$reg" --batch "$batch" --seed 9
timed population "$X" load-population --db "$work/db" "$work/d/population.csv"
timed registry "$X" import --db "$work/db" "$work/d/registry.csv"
timed check "$X" check --db "$work/db" "$work/d/batch.csv" --out "$work/r.csv"
"$X" bench quality --results "$work/r.csv" --truth "$work/d/truth.csv" >"$work/quality.json"
disk=$(du -sb "$work/db" | cut -f1)

python3 - "$work" "$tier" "$pop" "$reg" "$batch" "$disk" "$out" <<'PY'
import json, sys, platform, os
work, tier, pop, reg, batch, disk, out = sys.argv[1:]
pop, reg, batch, disk = int(pop), int(reg), int(batch), int(disk)
def t(name):
    s, kb = open(f"{work}/{name}.time").read().split()
    return float(s), int(kb)
norm = json.load(open(f"{work}/normalize.out"))
q = json.load(open(f"{work}/quality.json"))
res = {
    "tier": tier, "machine": f"{os.cpu_count()} cores, {platform.platform()}",
    "names_per_sec": norm.get("names_per_sec"),
    "gen_rows_per_sec": (pop + reg + batch) / t("gen")[0],
    "population_rows_per_sec": pop / t("population")[0], "population_peak_rss_mb": t("population")[1] / 1024,
    "registry_rows_per_sec": reg / t("registry")[0], "registry_peak_rss_mb": t("registry")[1] / 1024,
    "bytes_on_disk_per_record": disk / (pop + reg),
    "check_rows_per_sec": batch / t("check")[0], "check_peak_rss_mb": t("check")[1] / 1024,
    "quality": {k: q[k] for k in ("accuracy", "false_merge_rate", "duplicate_recall", "review_rate", "meets_targets")},
    "accuracy_by_category": {c: v["accuracy"] for c, v in q["categories"].items()},
}
json.dump(res, open(f"{out}/{tier}.json", "w"), indent=2)
with open(f"{out}/{tier}.md", "w") as f:
    f.write(f"# xueji bench, {tier} tier ({res['machine']})\n\n| figure | value |\n|---|---|\n")
    for k, v in res.items():
        if isinstance(v, (int, float)):
            f.write(f"| {k} | {v:,.2f} |\n")
    for k, v in res["quality"].items():
        f.write(f"| {k} | {v} |\n")
print(open(f"{out}/{tier}.md").read())
PY

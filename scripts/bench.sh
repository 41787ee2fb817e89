#!/usr/bin/env bash
# bench.sh [small|medium|large]: the figures the README quotes, from one
# command (also `make bench TIER=...` and `xueji bench --tier ...`).
#
# The tiers of the benchmark issue, by registry size:
#   small   2M population, 1M registry, 100k batch (a few minutes; CI runs it)
#   medium  20M population, 10M registry, 1M batch (half an hour or so, most
#           of it the peer)
#   large   200M population, 100M registry, 1M batch.  Long: many hours on
#           2 cores, about 35 GB of generated CSV, xueji's index (about 25 GB)
#           and the peer's DuckDB file and spill (tens of GB) on disk; set
#           BENCH_WORK to a folder on a disk with 120 GB free.
#
# Writes bench/results/<tier>.json and bench/results/<tier>.md: names/s,
# index build rows/s and peak RSS, batch rows/s, and the quality figures
# against the generator's truth, for xueji and, on the same generated files,
# for the peer (bench/peer: a Splink-style linkage in DuckDB SQL), side by
# side with the speed ratio.  Speed is reported, never asserted.
#
# Environment: XUEJI (the program, default build/xueji), BENCH_WORK (scratch
# folder, default a fresh mktemp -d), BENCH_THREADS (default: every core),
# BENCH_PEER=0 to leave the peer out, BENCH_OUT (default bench/results).
set -euo pipefail
cd "$(dirname "$0")/.."
tier=${1:-small}
case "$tier" in
small) pop=2000000 reg=1000000 batch=100000 ;;
medium) pop=20000000 reg=10000000 batch=1000000 ;;
large) pop=200000000 reg=100000000 batch=1000000 ;;
*)
    echo "bench.sh: unknown tier '$tier' (small, medium, large)" >&2
    exit 1
    ;;
esac
X=${XUEJI:-build/xueji}
threads=${BENCH_THREADS:-$(nproc)}
out=${BENCH_OUT:-bench/results}
if [[ -n "${BENCH_WORK:-}" ]]; then
    mkdir -p "$BENCH_WORK"
    work=$(mktemp -d "$BENCH_WORK/bench.XXXXXX")
else
    work=$(mktemp -d)
fi
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
[[ "$tier" == large ]] && echo "bench.sh: the large tier takes many hours; scratch in $work" >&2

timed() { # timed NAME CMD...: runs CMD, records seconds and peak RSS (KB)
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" 2>"$work/$name.err" >"$work/$name.out"
}

timed normalize "$X" bench normalize --count 2000000
# The generated files are written once and read by both engines (xueji's
# loaders also take a pipe, `xueji import -`, but the peer reads files).
timed gen "$X" gen --out "$work/d" --population "$pop" --registry "$reg" --batch "$batch" \
    --seed 9 --threads "$threads"
timed population "$X" load-population --db "$work/db" "$work/d/population.csv"
timed registry "$X" import --db "$work/db" "$work/d/registry.csv"
timed check "$X" check --db "$work/db" "$work/d/batch.csv" --out "$work/r.csv" --threads "$threads"
"$X" bench quality --results "$work/r.csv" --truth "$work/d/truth.csv" >"$work/quality.json"
# Single-record checks in process, one at a time, against the same index.
"$X" bench single --db "$work/db" --batch "$work/d/batch.csv" --count "$((batch < 20000 ? batch / 2 : 10000))" \
    >"$work/single.json"
disk=$(du -sb "$work/db" | cut -f1)
# The peer does not need xueji's index: drop it before the peer fills the disk.
rm -rf "$work/db"

# The peer, on the very same files.  It needs Node and its npm packages
# (bench/peer/package-lock.json); without them the comparison is left out,
# loudly, and xueji's own figures are still written.
peer_status=ran
if [[ "${BENCH_PEER:-1}" == 0 ]]; then
    peer_status="left out (BENCH_PEER=0)"
elif ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    peer_status="skipped: node/npm not found (bash scripts/deps.sh bench installs them)"
elif [[ ! -d bench/peer/node_modules ]] && ! (cd bench/peer && npm ci --no-audit --no-fund >&2); then
    peer_status="skipped: 'npm ci' in bench/peer failed (no registry?)"
else
    peer_args=(--registry "$work/d/registry.csv" --population "$work/d/population.csv"
        --batch "$work/d/batch.csv" --out "$work/peer.csv" --threads "$threads")
    # Past the small tiers the peer's tables live in a DuckDB file, not in RAM.
    [[ "$tier" == small ]] || peer_args+=(--work "$work/peer")
    mkdir -p "$work/peer"
    if timed peer node bench/peer/peer.mjs "${peer_args[@]}" &&
        "$X" bench quality --results "$work/peer.csv" --truth "$work/d/truth.csv" >"$work/peer_quality.json"; then
        :
    else
        peer_status="failed: $(tail -3 "$work/peer.err" | tr '\n' ' ')"
    fi
fi
[[ "$peer_status" == ran ]] || echo "bench.sh: peer $peer_status" >&2

python3 - "$work" "$tier" "$pop" "$reg" "$batch" "$disk" "$out" "$peer_status" "$threads" <<'PY'
import json, sys, platform, os
work, tier, pop, reg, batch, disk, out, peer_status, threads = sys.argv[1:]
pop, reg, batch, disk = int(pop), int(reg), int(batch), int(disk)
def t(name):
    s, kb = open(f"{work}/{name}.time").read().split()
    return float(s), int(kb)
def quality(path):
    q = json.load(open(path))
    return ({k: q[k] for k in ("accuracy", "false_merge_rate", "false_merges", "wrong_match",
                               "duplicate_recall", "batch_duplicate_recall", "review_rate",
                               "meets_targets")},
            {c: v["accuracy"] for c, v in q["categories"].items()})
norm = json.load(open(f"{work}/normalize.out"))
q, cats = quality(f"{work}/quality.json")
res = {
    "tier": tier, "machine": f"{os.cpu_count()} cores, {platform.platform()}", "threads": int(threads),
    "population": pop, "registry": reg, "batch": batch,
    "names_per_sec": norm.get("names_per_sec"),
    "gen_rows_per_sec": (pop + reg + batch) / t("gen")[0],
    "population_rows_per_sec": pop / t("population")[0], "population_peak_rss_mb": t("population")[1] / 1024,
    "registry_rows_per_sec": reg / t("registry")[0], "registry_peak_rss_mb": t("registry")[1] / 1024,
    "bytes_on_disk_per_record": disk / (pop + reg),
    "check_rows_per_sec": batch / t("check")[0], "check_peak_rss_mb": t("check")[1] / 1024,
    "single": {k: v for k, v in json.load(open(f"{work}/single.json")).items()
               if k in ("checks", "mean_us", "p50_us", "p99_us", "max_us")},
    "quality": q,
    "accuracy_by_category": cats,
    "peer": {"status": peer_status},
}
if peer_status == "ran":
    p = json.loads(open(f"{work}/peer.out").read().strip().splitlines()[-1])
    pq, pcats = quality(f"{work}/peer_quality.json")
    secs, kb = t("peer")
    # The peer loads its three files and judges the batch in one run; xueji
    # loads its index once and then checks many batches.  Both ratios are
    # given: the batch check alone, and load + check end to end.
    ours_e2e = t("population")[0] + t("registry")[0] + t("check")[0]
    res["peer"] = {
        "status": "ran", "engine": "Splink-style Fellegi-Sunter in DuckDB SQL (bench/peer)",
        "rows_per_sec": batch / secs, "seconds": p["seconds"], "wall_seconds": secs,
        "peak_rss_mb": kb / 1024, "candidate_pairs": p.get("candidate_pairs"),
        "rows_per_sec_excluding_load": batch / max(secs - p["seconds"]["load"], 1e-9),
        "quality": pq, "accuracy_by_category": pcats,
    }
    res["speed_ratio_check"] = res["check_rows_per_sec"] / res["peer"]["rows_per_sec_excluding_load"]
    res["speed_ratio_end_to_end"] = (batch / ours_e2e) / res["peer"]["rows_per_sec"]
json.dump(res, open(f"{out}/{tier}.json", "w"), indent=2)

def pct(x):
    return f"{100 * x:.3f} %"
with open(f"{out}/{tier}.md", "w") as f:
    f.write(f"# xueji bench, {tier} tier ({res['machine']}, {threads} threads)\n\n")
    f.write(f"{pop:,} population, {reg:,} registry, {batch:,} batch rows (seed 9).\n\n")
    f.write("## xueji alone\n\n| figure | value |\n|---|---|\n")
    for k, v in res.items():
        if isinstance(v, (int, float)) and not k.startswith("speed_ratio") and k not in (
                "threads", "population", "registry", "batch"):
            f.write(f"| {k} | {v:,.2f} |\n")
    for k in ("p50_us", "p99_us"):
        f.write(f"| single-record check, {k} | {res['single'][k]:,.1f} |\n")
    f.write("\n## xueji and the peer, same files\n\n")
    if peer_status != "ran":
        f.write(f"Peer {peer_status}.\n")
    else:
        pr = res["peer"]
        f.write("| figure | xueji | peer |\n|---|---|---|\n")
        f.write(f"| batch rows/s, check alone | {res['check_rows_per_sec']:,.0f} | "
                f"{pr['rows_per_sec_excluding_load']:,.0f} |\n")
        f.write(f"| batch rows/s, load + check | {batch / ours_e2e:,.0f} | {pr['rows_per_sec']:,.0f} |\n")
        f.write(f"| peak RSS, check (MB) | {res['check_peak_rss_mb']:,.0f} | {pr['peak_rss_mb']:,.0f} |\n")
        for k in ("accuracy", "false_merge_rate", "duplicate_recall", "batch_duplicate_recall", "review_rate"):
            f.write(f"| {k} | {pct(q[k])} | {pct(pr['quality'][k])} |\n")
        for k in ("false_merges", "wrong_match", "meets_targets"):
            f.write(f"| {k} | {q[k]} | {pr['quality'][k]} |\n")
        f.write(f"\nSpeed ratio (xueji over peer): {res['speed_ratio_check']:.2f}x for the batch check "
                f"alone, {res['speed_ratio_end_to_end']:.2f}x load + check.\n")
        s = pr["seconds"]
        f.write(f"Peer seconds: load {s['load']:.1f}, block {s['block']:.1f}, score {s['score']:.1f}, "
                f"decide {s['decide']:.1f}, total {s['total']:.1f}.\n")
        f.write("\n### Accuracy per truth category\n\n| category | xueji | peer |\n|---|---|---|\n")
        for c in sorted(set(cats) | set(pr["accuracy_by_category"])):
            a, b = cats.get(c), pr["accuracy_by_category"].get(c)
            f.write(f"| {c} | {'' if a is None else pct(a)} | {'' if b is None else pct(b)} |\n")
print(open(f"{out}/{tier}.md").read())
PY

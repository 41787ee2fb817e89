#!/usr/bin/env bash
# deps.sh [build|test|fuzz|demo]... : makes sure the Debian packages xueji needs
# are installed.  As root it installs what is missing with apt-get; otherwise
# it prints the one apt-get line to run and fails, so that `make` stops there.
#
# Why each package (all from Debian 12):
#   cmake, pkg-config, gcc        the build (CMake finds every dependency)
#   libicu-dev                    Unicode normalization, GB18030, build-time pinyin tables
#   librocksdb-dev                the national index
#   libxxhash-dev                 blocking-key hashes, the generator's counter-based RNG
#   libmicrohttpd-dev             `xueji serve`: the HTTP server (no hand-written HTTP)
#   libjansson-dev                `xueji lookup`/`serve`: JSON in and out (no hand-written JSON)
#   wrk                           bench only: HTTP load for scripts/bench_service.sh
#   time                          /usr/bin/time: elapsed time and peak RSS in the benchmark
#                                 scripts (and so in tests/e2e/bench_small.sh); not in every
#                                 minimal Debian image
#   nodejs, npm                   bench and test (tests/e2e/peer.sh), only when no `node` is on the PATH: the
#                                 benchmark's peer (bench/peer) is a Splink-style linkage in
#                                 DuckDB SQL run by DuckDB's Node package, so that xueji is
#                                 compared with what an analyst would build instead; npm
#                                 installs that package from bench/peer/package-lock.json
#   libcriterion-dev              unit tests
#   python3                       end-to-end tests parse the JSON and CSV outputs
#   clang, libclang-rt-14-dev, libomp-14-dev   libFuzzer targets (clang's OpenMP is libomp)
#   libc6-dev (iconv)             the GB18030 round-trip tests use iconv from libc-bin
#   chromium                      tests/e2e/report.sh opens the review report in a real
#                                 (headless) browser: the counts and masking are checked in
#                                 the DOM the inline script renders, not just in the file
#   fonts-wqy-microhei            a Chinese font, so that the report's screenshot shows text
set -euo pipefail

pkgs=(cmake make gcc pkg-config libicu-dev librocksdb-dev libxxhash-dev)
pkgs+=(libmicrohttpd-dev libjansson-dev)
for want in "$@"; do
    case "$want" in
    build | demo) ;;
    test)
        # time: /usr/bin/time, which the benchmark tier run by the tests reads.
        pkgs+=(libcriterion-dev python3 libc-bin chromium fonts-wqy-microhei time)
        # tests/e2e/peer.sh runs the benchmark's DuckDB peer under Node.
        command -v node >/dev/null || pkgs+=(nodejs npm)
        ;;
    bench)
        pkgs+=(wrk python3 time)
        # A node of another origin (nvm, NodeSource) is fine as it is.
        command -v node >/dev/null || pkgs+=(nodejs npm)
        ;;
    fuzz) pkgs+=(libcriterion-dev python3 clang libclang-rt-14-dev libomp-14-dev) ;;
    *)
        echo "deps.sh: unknown set '$want'" >&2
        exit 1
        ;;
    esac
done

missing=()
for p in $(printf '%s\n' "${pkgs[@]}" | sort -u); do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
    echo "xueji needs these Debian packages; run as root:" >&2
    echo "  apt-get update && $line" >&2
    exit 1
fi
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
$line -qq >/dev/null

#!/usr/bin/env bash
# Checks the explorer's weak model against herd7 and the Linux-kernel memory
# model (LKMM, the kernel's tools/memory-model/). CI does not run it: nothing
# there can install herd7.
#
# For every catalog preset, for a sweep of barrier subsets on four base
# scenarios, and for values of 2^31 and more, it exports the scenario with
# one reader as a C litmus test (`pte-explorer litmus`), runs
# `herd7 -conf linux-kernel.cfg` on it from the model's folder, and compares
# herd7's Observation with the explorer's weak-model answer for one reader
# (`pte-explorer check --model weak --readers 1`; a flush ipi is compared as
# paravirt, since LKMM has no interrupts). herd7's Never must meet the
# explorer's Never, its Sometimes or Always the explorer's Sometimes. A
# scenario the export refuses (an atomic 64-bit zap) is listed as skipped.
#
# Environment:
#   HERD7         the herd7 binary (default: herd7 on PATH); a herd7 that was
#                 built but not installed also needs HERDLIB=<herdtools7>/herd/libdir
#   LKMM_DIR      the kernel's tools/memory-model folder, with linux-kernel.cfg,
#                 linux-kernel.cat, linux-kernel.bell, linux-kernel.def, lock.cat
#   PTE_EXPLORER  a pte-explorer binary (default: cargo builds one)
#   LITMUS_DIR    keep the exported tests in this folder (default: a temporary one)
#
# Exit status:
#   0   every row agrees
#   1   a disagreement, or herd7 gave no Observation for a test
#   77  herd7 or the model files are missing: nothing was checked
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

SKIPPED=77

herd7="${HERD7:-herd7}"
if ! command -v "$herd7" >/dev/null 2>&1; then
    echo "herd7 not found (HERD7=${HERD7:-unset}): nothing checked."
    echo "Build herd7 from https://github.com/herd/herdtools7 and set HERD7 and LKMM_DIR."
    exit "$SKIPPED"
fi
lkmm_dir="${LKMM_DIR:-}"
for model_file in linux-kernel.cfg linux-kernel.cat linux-kernel.bell linux-kernel.def lock.cat; do
    if [[ -z $lkmm_dir || ! -f $lkmm_dir/$model_file ]]; then
        echo "the kernel's memory model is not in LKMM_DIR=${lkmm_dir:-unset} ($model_file is missing): nothing checked."
        echo "Set LKMM_DIR to a kernel's tools/memory-model folder."
        exit "$SKIPPED"
    fi
done

if [[ -n ${PTE_EXPLORER:-} ]]; then
    explorer="$PTE_EXPLORER"
else
    cargo build --quiet -p pte-explorer
    explorer="${CARGO_TARGET_DIR:-$REPO_ROOT/target}/debug/pte-explorer"
fi

if [[ -n ${LITMUS_DIR:-} ]]; then
    out_dir="$LITMUS_DIR"
    mkdir -p "$out_dir"
else
    out_dir="$(mktemp -d)"
    trap 'rm -rf "$out_dir"' EXIT
fi

rows=0
agreed=0
disagreed=0
skipped=0

# check_row NAME [pte-explorer scenario arguments...]: one row of the table.
check_row() {
    local name="$1"
    shift
    local file="$out_dir/$name.litmus" json flush explorer_answer herd_answer verdict status
    rows=$((rows + 1))
    if ! "$explorer" litmus "$@" --readers 1 --name "$name" -o "$file" >/dev/null 2>"$out_dir/$name.err"; then
        printf '%-30s  %-9s  %-9s  %s\n' "$name" "-" "-" "skipped: $(sed 's/^error: //' "$out_dir/$name.err" | cut -c1-60)…"
        skipped=$((skipped + 1))
        return
    fi
    # The scenario's flush decides how the explorer is asked: ipi as paravirt.
    json="$("$explorer" check "$@" --readers 1 --max-states 1 --json || true)"
    flush="$(grep -o '"flush": "[a-z]*"' <<<"$json" | head -n 1 | cut -d'"' -f4)"
    [[ $flush == ipi ]] && flush=paravirt
    status=0
    "$explorer" check "$@" --readers 1 --model weak --flush "$flush" >/dev/null || status=$?
    case $status in
        0) explorer_answer=Never ;;
        1) explorer_answer=Sometimes ;;
        *) explorer_answer="error($status)" ;;
    esac
    herd_answer="$(cd "$lkmm_dir" && timeout 300 "$herd7" -conf linux-kernel.cfg "$file" 2>&1 |
        awk '$1 == "Observation" { print $3 }')" || true
    herd_answer="${herd_answer:-none}"
    if [[ $explorer_answer == Never && $herd_answer == Never ]] ||
        [[ $explorer_answer == Sometimes && ($herd_answer == Sometimes || $herd_answer == Always) ]]; then
        verdict=agree
        agreed=$((agreed + 1))
    else
        verdict=DISAGREE
        disagreed=$((disagreed + 1))
    fi
    printf '%-30s  %-9s  %-9s  %s\n' "$name" "$explorer_answer" "$herd_answer" "$verdict"
}

echo "herd7: $("$herd7" -version 2>&1 | head -n 1)"
echo "model: $lkmm_dir"
echo "sweep rows are BASE+CODE, one digit per barrier site, 1 = on:"
echo "  zap_wmb1 zap_wmb2 establish_wmb1 establish_wmb2 reader_rmb1 reader_rmb2"
echo
printf '%-30s  %-9s  %-9s  %s\n' "scenario (1 reader)" "explorer" "herd7" "result"
printf '%-30s  %-9s  %-9s  %s\n' "-------------------" "--------" "-----" "------"

# Every catalog preset.
mapfile -t presets < <("$explorer" list --json | grep -o '^    "id": "[^"]*"' | cut -d'"' -f4)
for preset in "${presets[@]}"; do
    check_row "$preset" "$preset"
done

# Every subset of the six barrier sites on four base scenarios: no flush,
# same low half under an IPI flush, the MIPS/SH clear order and the mirrored
# orders for a present bit in the high half. A row is named BASE+CODE, one
# digit per site in the order below, 1 for on: different-low+101011 has
# zap_wmb1, establish_wmb1 and both rmbs on (the kernel's barriers).
sites=(zap_wmb1 zap_wmb2 establish_wmb1 establish_wmb2 reader_rmb1 reader_rmb2)
for base in different-low same-low-ipi mips-sh present-high-mirrored; do
    for ((subset = 0; subset < 64; subset++)); do
        on=()
        code=""
        for index in "${!sites[@]}"; do
            if ((subset >> index & 1)); then
                on+=("${sites[$index]}")
                code+=1
            else
                code+=0
            fi
        done
        if ((${#on[@]} == 0)); then
            check_row "$base+$code" "$base" --no-barriers
        else
            check_row "$base+$code" "$base" --no-barriers --barrier-on "$(IFS=,; echo "${on[*]}")"
        fi
    done
done

# Halves of 2^31 and more (NX, bit 63, in every present value): the export
# writes them as signed 32-bit ints.
check_row "nx-same-low" same-low-none --p0 0x8000000180001067 --p 0xffffffff80001067
check_row "nx-different-low" different-low --p0 0x8000000180001067 --p 0x8000000380002067
check_row "nx-z-bit31-present31" same-low-none --p0 0x8000000180001067 --z 0x80000000 \
    --p 0xffffffff80001067 --present-bit 31

echo
echo "$rows rows: $agreed agree, $disagreed disagree, $skipped skipped"
if ((disagreed > 0)); then
    exit 1
fi

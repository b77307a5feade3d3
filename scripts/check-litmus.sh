#!/usr/bin/env bash
# Checks the explorer's weak model against herd7 and the Linux-kernel memory
# model (LKMM, the kernel's tools/memory-model/). CI does not run it: nothing
# there can install herd7.
#
# For every catalog preset, for a sweep of barrier subsets on four base
# scenarios and on the pmd_read_atomic and read_once64 readers, for KVM's
# kvm_spte reader with and without its clear counter (each barrier site off
# in turn), and for values of 2^31 and more, it exports the scenario with
# one reader as a C litmus test (`pte-explorer litmus`), whose
# `(* Result: Never *)` / `Sometimes` comment is the explorer's weak-model
# answer for one reader (a flush ipi is asked as paravirt, since LKMM has no
# interrupts), runs `herd7 -conf linux-kernel.cfg` on it from the model's
# folder, and judges herd7's Observation against the Result comment with
# scripts/judge-litmus.sh, as the kernel's checklitmus.sh does with
# judgelitmus.sh: the Observation must hold the Result's word. A scenario
# the export refuses (an atomic 64-bit zap, a reader kind it does not write,
# the sequence-counter writer) is listed as skipped.
#
# Presets have the compiler on, so their tests have v6.0's plain accesses,
# which race: the `race` column says whether herd7 printed `Flag data-race`.
# LKMM makes no prediction for a test with a data race, so an Observation
# that does not hold the Result's word there is forgiven (as judgelitmus.sh
# forgives it), not a disagreement. Every row whose test has a plain access
# is followed by the same scenario with every access marked (NAME+marked,
# `--marked writer,reader`: READ_ONCE()/WRITE_ONCE(), the same Result, since
# under the weak model the CPU already does whatever the compiler may),
# which LKMM answers and judge-litmus.sh judges. KVM's clear counter `cnt`
# stays plain whatever `--marked` says (the kernel reads and bumps
# sp->clear_spte_count plainly), so a test with a plain access of `cnt` is
# followed by the same scenario with `--compiler off` instead (NAME+marked
# too: with the compiler off every access is marked, and the weak model's
# answer is the same, since its CPU already does whatever the compiler may).
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
#   0   every row agrees (or is forgiven for its data race)
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
forgiven=0
disagreed=0
skipped=0
races=0

# print_row NAME RESULT HERD7 RACE JUDGED: one line of the table.
print_row() {
    printf '%-50s  %-9s  %-9s  %-5s  %s\n' "$@"
}

# check_row NAME [pte-explorer scenario arguments...]: one row of the table.
# The export's `(* Result: … *)` comment is the explorer's weak-model
# answer for one reader (pte_core::litmus::expected_result); herd7's output
# is kept next to the test as NAME.litmus.out and judged against it by
# scripts/judge-litmus.sh, as the kernel's checklitmus.sh runs herd7 and
# then judgelitmus.sh. A test with a plain access gets a NAME+marked row.
check_row() {
    local name="$1"
    shift
    local file="$out_dir/$name.litmus" explorer_answer herd_answer race judged status
    rows=$((rows + 1))
    if ! "$explorer" litmus "$@" --readers 1 --name "$name" -o "$file" >/dev/null 2>"$out_dir/$name.err"; then
        print_row "$name" "-" "-" "-" "skipped: $(sed 's/^error: //' "$out_dir/$name.err" | cut -c1-60)…"
        skipped=$((skipped + 1))
        return
    fi
    explorer_answer="$(grep -m 1 '^[( ]\* Result: ' "$file" | awk '{ print $3 }')"
    (cd "$lkmm_dir" && timeout 300 "$herd7" -conf linux-kernel.cfg "$file") >"$file.out" 2>&1 || true
    herd_answer="$(awk '$1 == "Observation" { print $3; exit }' "$file.out")"
    herd_answer="${herd_answer:-none}"
    race=-
    if grep -q -E '^Flag data-race($|:)' "$file.out"; then
        race=yes
        races=$((races + 1))
    fi
    status=0
    judged="$("$REPO_ROOT/scripts/judge-litmus.sh" "$file" "$file.out")" || status=$?
    if ((status == 0)) && [[ $judged == forgiven:* ]]; then
        judged=forgiven
        forgiven=$((forgiven + 1))
    elif ((status == 0)); then
        judged=agree
        agreed=$((agreed + 1))
    else
        judged=DISAGREE
        disagreed=$((disagreed + 1))
    fi
    print_row "$name" "$explorer_answer" "$herd_answer" "$race" "$judged"
    # A plain access: `*lo = …;` in the writer or `rN = *lo;` in a reader
    # (`c = *cnt;`, `c2 = *cnt;` in KVM's); a marked row has none, unless
    # something is wrong, and is not followed again.
    if [[ $name == *+marked ]]; then
        return
    fi
    if grep -q -E '^'$'\t''+(\*cnt = |c2? = \*cnt)' "$file"; then
        check_row "$name+marked" "$@" --compiler off
    elif grep -q -E '^'$'\t''(\*(lo|hi) = |r[0-9]+ = \*)' "$file"; then
        check_row "$name+marked" "$@" --marked writer,reader
    fi
}

echo "herd7: $("$herd7" -version 2>&1 | head -n 1)"
echo "model: $lkmm_dir"
echo "sweep rows are BASE+CODE, one digit per barrier site, 1 = on:"
echo "  zap_wmb1 zap_wmb2 establish_wmb1 establish_wmb2 reader_rmb1 reader_rmb2"
echo "  (pmd_read_atomic-BASE, read_once64-BASE: the writer's sites, then pmd_rmb;"
echo "  on populate only establish_wmb1 establish_wmb2, then pmd_rmb)"
echo "kvm_spte rows are BASE (the kernel's barriers), BASE-all-off (none)"
echo "  and BASE-SITE-off (that site off, the others as in the kernel)"
echo
print_row "scenario (1 reader)" "Result:" "herd7" "race" "judged"
print_row "-------------------" "-------" "-----" "----" "------"

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

# The family's reader kinds (pmd_read_atomic, read_once64): every subset of
# the writer's sites and, for pmd_read_atomic, pmd_rmb (the last digit), on
# the zap and re-establish with a reused low half, on the populate-only
# writer (its two establish sites only) and with the present bit in the
# high half (the mirrored orders, where a zero low half is still the none
# pmd). Rows are KIND-BASE+CODE.
for kind in pmd_read_atomic read_once64; do
    for base in same-low-none populate present-high-mirrored; do
        case $base in
        populate) kind_sites=(establish_wmb1 establish_wmb2) ;;
        *) kind_sites=(zap_wmb1 zap_wmb2 establish_wmb1 establish_wmb2) ;;
        esac
        if [[ $kind == pmd_read_atomic ]]; then
            kind_sites+=(pmd_rmb)
        fi
        if [[ $base == populate ]]; then
            base_args=("${kind//_/-}-populate")
        else
            base_args=("$base" --reader-kinds "$kind")
        fi
        for ((subset = 0; subset < 1 << ${#kind_sites[@]}; subset++)); do
            on=()
            code=""
            for index in "${!kind_sites[@]}"; do
                if ((subset >> index & 1)); then
                    on+=("${kind_sites[$index]}")
                    code+=1
                else
                    code+=0
                fi
            done
            if ((${#on[@]} == 0)); then
                check_row "$kind-$base+$code" "${base_args[@]}" --no-barriers
            else
                check_row "$kind-$base+$code" "${base_args[@]}" --no-barriers \
                    --barrier-on "$(IFS=,; echo "${on[*]}")"
            fi
        done
    done
done

# KVM's __get_spte_lockless() (kvm_spte) against the zap and re-establish
# with a reused low half, no flush: with the clear counter (its preset),
# without it, and with the clear counter and the present bit in the high
# half (the mirrored orders, the low half reused too); and, with the
# clear counter, against a re-establish with a different low half (which
# the re-read of the low half catches on its own). Each with the kernel's barriers, with none,
# and with each site the kernel has off in turn (kvm_count_wmb only where
# the counter is bumped). Rows are BASE, BASE-all-off, BASE-SITE-off.
for base in kvm-spte-clear-counter kvm-spte-no-clear-counter kvm-present-high-mirrored kvm-different-low; do
    kvm_sites=(zap_wmb1 establish_wmb1 reader_rmb1 reader_rmb2 kvm_count_rmb)
    case $base in
    kvm-present-high-mirrored)
        base_args=(present-high-mirrored --same-low --reader-kinds kvm_spte --clear-counter)
        kvm_sites+=(kvm_count_wmb)
        ;;
    kvm-spte-clear-counter)
        base_args=("$base")
        kvm_sites+=(kvm_count_wmb)
        ;;
    kvm-different-low)
        base_args=(different-low --reader-kinds kvm_spte --clear-counter)
        kvm_sites+=(kvm_count_wmb)
        ;;
    *) base_args=("$base") ;;
    esac
    # The two presets have their rows above.
    if [[ $base == kvm-present-high-mirrored || $base == kvm-different-low ]]; then
        check_row "$base" "${base_args[@]}"
    fi
    check_row "$base-all-off" "${base_args[@]}" --no-barriers
    for site in "${kvm_sites[@]}"; do
        check_row "$base-$site-off" "${base_args[@]}" --barrier-off "$site"
    done
done

# Halves of 2^31 and more (NX, bit 63, in every present value): the export
# writes them as signed 32-bit ints.
check_row "nx-same-low" same-low-none --p0 0x8000000180001067 --p 0xffffffff80001067
check_row "nx-different-low" different-low --p0 0x8000000180001067 --p 0x8000000380002067
# Z keeps bit 31, the present bit here, clear (a present Z is refused) and
# has a high half of 2^31.
check_row "nx-z-high31-present31" same-low-none --p0 0x8000000180001067 --z 0x8000000000000000 \
    --p 0xffffffff80001067 --present-bit 31

echo
echo "$rows rows: $agreed agree, $forgiven forgiven (a data race: LKMM makes no prediction), $disagreed disagree, $skipped skipped; herd7 flagged a data race in $races"
if ((disagreed > 0)); then
    exit 1
fi

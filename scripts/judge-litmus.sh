#!/usr/bin/env bash
# Judges one herd7 run of an exported litmus test as the kernel's
# tools/memory-model/scripts/judgelitmus.sh does: the first `Result:`
# comment of the test (`(* Result: Never *)`, which `pte-explorer litmus`
# writes with the explorer's weak-model answer) against the `Observation`
# line of herd7's output.
#
# A test with plain accesses (the compiler modelled, v6.0's plain C) makes
# LKMM print `Flag data-race` when they race, and for such a test LKMM
# "makes no predictions about the program's outcome" (the kernel's
# tools/memory-model/Documentation/explanation.txt). As judgelitmus.sh
# does when herd7 flags a data race, an Observation that does not hold the
# Result's word is then forgiven, not a disagreement.
#
# Usage: scripts/judge-litmus.sh FILE.litmus HERD7-OUTPUT
#
# Prints one line, whose first word is the judgement: `agree`, `forgiven`
# (herd7 flagged a data race and answered otherwise), or `DISAGREE`, then
# what each side said; `data race flagged by herd7` when it was. Exit status
# (as judgelitmus.sh's): 0 the Observation holds the Result's word (or the
# Result is Maybe, which accepts any answer) or it was forgiven, 1 it does
# not, 255 no Result comment, or herd7 gave no Observation (an error or a
# timeout).
set -euo pipefail

litmus="${1:?usage: judge-litmus.sh FILE.litmus HERD7-OUTPUT}"
output="${2:?usage: judge-litmus.sh FILE.litmus HERD7-OUTPUT}"
for file in "$litmus" "$output"; do
    if [[ ! -r $file ]]; then
        echo "error: $file is not a readable file"
        exit 255
    fi
done

# judgelitmus.sh: grep -m 1 '^[( ]\* Result: ' $litmus | awk '{ print $3 }'
expected="$(grep -m 1 '^[( ]\* Result: ' "$litmus" | awk '{ print $3 }' || true)"
if [[ -z $expected ]]; then
    echo "error: $litmus has no Result: comment"
    exit 255
fi
observation="$(grep -m 1 '^Observation' "$output" || true)"
if [[ -z $observation ]]; then
    echo "error: herd7 gave no Observation for $litmus (Result: $expected)"
    exit 255
fi
# judgelitmus.sh: grep -q '^Flag data-race$' $litmusout (and herd7 -v's "Flag data-race: 1,3 ")
race=""
if grep -q -E '^Flag data-race($|:)' "$output"; then
    race=", data race flagged by herd7"
fi
# judgelitmus.sh: grep '^Observation' $out | grep -q $outcome || test "$outcome" = Maybe
observed="$(awk '{ print $3 }' <<<"$observation")"
if grep -q -- "$expected" <<<"$observation" || [[ $expected == Maybe ]]; then
    echo "agree: Result $expected, herd7 $observed$race"
    exit 0
fi
# judgelitmus.sh: a non-$outcome verification with a data race is "Forgiven".
if [[ -n $race ]]; then
    echo "forgiven: Result $expected, herd7 $observed$race (LKMM makes no prediction for a test with a data race)"
    exit 0
fi
echo "DISAGREE: Result $expected, herd7 $observed (non-$expected verification)"
exit 1

#!/usr/bin/env bash
# Judges one herd7 run of an exported litmus test as the kernel's
# tools/memory-model/scripts/judgelitmus.sh does: the first `Result:`
# comment of the test (`(* Result: Never *)`, which `pte-explorer litmus`
# writes with the explorer's weak-model answer) against the `Observation`
# line of herd7's output.
#
# Usage: scripts/judge-litmus.sh FILE.litmus HERD7-OUTPUT
#
# Prints one line: `agree`, or what disagreed and why. Exit status (as
# judgelitmus.sh's): 0 the Observation holds the Result's word (or the
# Result is Maybe, which accepts any answer), 1 it does not, 255 no Result
# comment, or herd7 gave no Observation (an error or a timeout).
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
# judgelitmus.sh: grep '^Observation' $out | grep -q $outcome || test "$outcome" = Maybe
observed="$(awk '{ print $3 }' <<<"$observation")"
if grep -q -- "$expected" <<<"$observation" || [[ $expected == Maybe ]]; then
    echo "agree: Result $expected, herd7 $observed"
    exit 0
fi
echo "DISAGREE: Result $expected, herd7 $observed (non-$expected verification)"
exit 1

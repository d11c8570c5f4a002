#!/bin/sh
# run_scenarios.sh HARNESS — runs every scenarios/*.json with ks-harness. Each must pass;
# a scenario with a .golden file must print exactly that file; the walkthrough must have a
# golden and must end in a byte-identical ks_state when run twice (determinism across
# processes, whose hash seeds differ).
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
harness=${1:-$here/build/ks-harness}
out=$(dirname "$harness")/scenario-out
mkdir -p "$out"
status=0

for scenario in "$here"/scenarios/*.json; do
    name=$(basename "$scenario" .json)
    if "$harness" "$scenario" > "$out/$name.out" 2> "$out/$name.err"; then
        echo "ok   scenario $name: $(tail -n 1 "$out/$name.out")"
    else
        echo "FAIL scenario $name (exit $?)"
        sed 's/^/    /' "$out/$name.err"
        status=1
    fi
    golden="$here/scenarios/$name.golden"
    if [ -f "$golden" ]; then
        if diff -u "$golden" "$out/$name.out" > "$out/$name.diff"; then
            echo "ok   golden $name"
        else
            echo "FAIL golden $name: output differs from scenarios/$name.golden (full diff: $out/$name.diff)"
            head -n 80 "$out/$name.diff" | sed 's/^/    /'
            status=1
        fi
    elif [ "$name" = walkthrough ]; then
        echo "FAIL golden walkthrough: scenarios/walkthrough.golden is missing (make golden, then read it)"
        status=1
    fi
done

for name in walkthrough; do
    "$harness" --quiet --state "$here/scenarios/$name.json" > "$out/$name.state1" 2>/dev/null
    "$harness" --quiet --state "$here/scenarios/$name.json" > "$out/$name.state2" 2>/dev/null
    if [ -s "$out/$name.state1" ] && cmp -s "$out/$name.state1" "$out/$name.state2"; then
        echo "ok   determinism $name: two runs end in the same ks_state"
    else
        echo "FAIL determinism $name: two runs end in different ks_state ($out/$name.state1, .state2)"
        status=1
    fi
done
exit $status

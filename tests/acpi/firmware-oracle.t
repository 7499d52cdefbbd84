#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The firmware's own view of QEMU's DMAR against ACPICA's: boot the acpi
# guest test with dump-dmar=1 in several configurations, take the raw table
# it found from its serial log, and have dmar-oracle compare our parser's
# reading of it with `iasl -d`, unit by unit, flag by flag, scope by scope.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
res="$top/build/results-oracle"
canon="$top/build/host/tests/acpi/dmar_canon"
configs="default aw48 devtlb ir multi"

rm -rf "$res"
mkdir -p "$res"
args=""
for c in $configs; do
    args="$args -c $c"
done
# shellcheck disable=SC2086
"$top/run/vtdrun" --guest acpi --append dump-dmar=1 $args \
    --results "$res" >"$res/vtdrun.log" 2>&1

n=0
for c in $configs; do
    n=$((n + 1))
    # One QEMU ran: its results are the one directory under $res.
    log=$(echo "$res"/*/"acpi@$c"/serial.log)
    if ! grep -q "dmar-raw" "$log" 2>/dev/null; then
        echo "not ok $n - $c: the firmware dumped no DMAR (see $log)"
        continue
    fi
    out=$("$top/tests/acpi/dmar-oracle" --canon "$canon" "$log" 2>&1)
    rc=$?
    agreed=$(printf '%s\n' "$out" | grep -c '^ok ')
    if [ $rc -eq 0 ] && [ "$agreed" -gt 0 ]; then
        echo "ok $n - $c: firmware's DMAR agrees with iasl -d ($agreed comparisons)"
    else
        echo "not ok $n - $c: firmware's DMAR and iasl -d disagree"
        printf '%s\n' "$out" | grep -v '^ok ' | sed 's/^/#   /' | head -40
    fi
done
echo "1..$n"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The multiboot runs of the default suite on every other QEMU the set-up
# step installed (10.0 and 11.1 from Debian's backports), as TAP for
# prove: a test point per run, then per run a comparison with the same
# run on the system's QEMU that run/guest.t left in build/results/system,
# check by check; a difference no version bound explains fails.  Results
# in build/results/10.0/ and build/results/11.1/.  The assigned
# configurations (an edu served over vfio-user) run here on 11.1; the
# other QEMUs SKIP them, having no vfio-user-pci.
top=$(dirname "$0")/..
results="$top/build/results"
set --
for name in 10.0 11.1; do
    if "$top/run/vtdrun" --list-qemus | grep -q "^$name "; then
        set -- "$@" --qemu "$name"
    else
        echo "1..0 # SKIP QEMU $name is not installed (run make setup;" \
             "VTDPROBE_EXTRA_QEMUS=no leaves it out)"
        exit 0
    fi
done
exec "$top/run/vtdrun" --tap "$@" --group default --boot multiboot \
    --against "$results/system" --matrix no

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The assigned configurations (an edu served over vfio-user) on QEMU 11.1
# and on the model, compared check by check and message by message: each
# served device's DMA_MAP/DMA_UNMAP record against the model's notifier
# events (run/vtdrunner/assigned.py, compare_records).  QEMU 11.1 only:
# the others have no vfio-user-pci.  Results in build/results/11.1/ and
# build/results/model/.
top=$(dirname "$0")/..
if ! "$top/run/vtdrun" --list-qemus | grep -q "^11.1 "; then
    echo "1..0 # SKIP QEMU 11.1 is not installed (run make setup)"
    exit 0
fi
exec "$top/run/vtdrun" --tap --qemu 11.1 --compare -c assigned -c assigned-shared \
    --matrix no --results "$top/build/results-assigned"

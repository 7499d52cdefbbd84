#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# TAP: the page-selective invalidation sweeps in tests/scenarios/ are what
# tests/engine/gen-psi.py writes (edit the generator, run it, commit both).
exec python3 "$(dirname "$0")/gen-psi.py" --tap

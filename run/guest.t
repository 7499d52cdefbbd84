#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every guest run of run/tests.cfg, as TAP for prove: one test point per
# test@config, ok when the verdict is SUCCESS or SKIP (or, for a self-test,
# exactly its `expect`).  Then the same tests on the hosted model in the
# configurations mirroring QEMU's, compared check by check: one test point
# per test@config, ok when every divergence is explained (an expected
# failure, or run/divergences.cfg).  Results in build/results/.
exec "$(dirname "$0")/vtdrun" --tap --compare "$@"

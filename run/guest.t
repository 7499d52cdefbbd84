#!/bin/sh
# Every guest run of run/tests.cfg, as TAP for prove: one test point per
# test@config, ok when the verdict is SUCCESS or SKIP (or, for a self-test,
# exactly its `expect`).  Results in build/results/.
exec "$(dirname "$0")/vtdrun" --tap "$@"

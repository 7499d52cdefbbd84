#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The whole suite on the hosted machine (vtdhost, the VT-d model) in every
# configuration of run/model-configs.cfg, as TAP for prove: one test point
# per test@configuration.  Results in build/results/model/.
exec "$(dirname "$0")/../run/vtdrun" --model --tap "$@"

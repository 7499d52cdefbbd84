#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every C file of the tree as clang-format lays it out (.clang-format): a
# test point per file; one that differs fails with its diff, and the
# command that rewrites it (make format).  No build, no network.
exec "$(dirname "$0")/../../run/format" --check

# SPDX-License-Identifier: GPL-2.0-or-later
# vtd/: the VT-d driver. Portable: built into the firmware and hosted.
VTD_SRCS := $(wildcard vtd/*.c)
FW_SRCS += $(VTD_SRCS)

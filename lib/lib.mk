# SPDX-License-Identifier: GPL-2.0-or-later
# lib/: the freestanding runtime. Portable parts first (they also build
# hosted), then the guest backend.
LIB_PORTABLE := lib/printf.c lib/report.c lib/test.c lib/alloc.c \
                lib/pci.c lib/pci_cfg.c lib/edu.c lib/wait.c lib/xfail.c \
                lib/ioapic.c
LIB_GUEST    := lib/string.c $(wildcard lib/guest/*.c)

FW_SRCS += $(LIB_PORTABLE) $(LIB_GUEST)

/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TESTS_HOST_PLAT_STUB_H
#define TESTS_HOST_PLAT_STUB_H

#include <setjmp.h>
#include <stddef.h>

#include "lib/platform.h"

extern char stub_out[1 << 16];
extern size_t stub_len;
extern jmp_buf stub_exit_jmp;
extern int stub_exit_armed;
extern enum plat_result stub_exit_result;
extern const char *stub_cmdline_value;

void stub_reset_output(void);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/plat_stub.c — the console and exit half of lib/platform.h for
 * host unit tests of lib/: output is captured in a buffer (and echoed as
 * TAP comments when VTDPROBE_ECHO is set), exit longjmps back to the test.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/host/plat_stub.h"

char stub_out[1 << 16];
size_t stub_len;
jmp_buf stub_exit_jmp;
int stub_exit_armed;
enum plat_result stub_exit_result;
const char *stub_cmdline_value = "";

void plat_console_write(const char *buf, size_t len)
{
    if (stub_len + len >= sizeof(stub_out))
        len = sizeof(stub_out) - 1 - stub_len;
    memcpy(stub_out + stub_len, buf, len);
    stub_len += len;
    stub_out[stub_len] = 0;
}

void stub_reset_output(void)
{
    stub_len = 0;
    stub_out[0] = 0;
}

void plat_exit(enum plat_result result)
{
    stub_exit_result = result;
    if (stub_exit_armed)
        longjmp(stub_exit_jmp, 1);
    fprintf(stderr, "plat_exit(%d) with no test catching it\n", result);
    abort();
}

const char *plat_cmdline(void)
{
    return stub_cmdline_value;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/host/test_string.c — lib/string.c, compiled here under other names
 * so it can be compared with the C library's functions.
 */
#include <stdlib.h>
#include <string.h>

#define memcpy  lib_memcpy
#define memmove lib_memmove
#define memset  lib_memset
#define memcmp  lib_memcmp
#define memchr  lib_memchr
#define strlen  lib_strlen
#define strnlen lib_strnlen
#define strcmp  lib_strcmp
#define strncmp lib_strncmp
#define strchr  lib_strchr
void *lib_memcpy(void *restrict d, const void *restrict s, size_t n);
void *lib_memmove(void *d, const void *s, size_t n);
void *lib_memset(void *d, int c, size_t n);
int lib_memcmp(const void *a, const void *b, size_t n);
void *lib_memchr(const void *s, int c, size_t n);
size_t lib_strlen(const char *s);
size_t lib_strnlen(const char *s, size_t m);
int lib_strcmp(const char *a, const char *b);
int lib_strncmp(const char *a, const char *b, size_t n);
char *lib_strchr(const char *s, int c);
#define LIB_INCLUDE_STRING_H /* the C library's string.h is in already */
#include "lib/string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef memchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr

#include "tests/host/tap.h"

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

int main(void)
{
    unsigned char a[64], b[64], c[64];
    unsigned bad = 0;

    srand(7);
    for (unsigned i = 0; i < 2000; i++) {
        size_t off1 = (size_t)rand() % 16, off2 = (size_t)rand() % 16;
        size_t n = (size_t)rand() % 40;

        for (unsigned k = 0; k < sizeof(a); k++)
            a[k] = b[k] = (unsigned char)rand();
        memmove(a + off1, a + off2, n);
        lib_memmove(b + off1, b + off2, n);
        bad += memcmp(a, b, sizeof(a)) != 0;
        memcpy(c, a, sizeof(c));
        c[rand() % 64] ^= (unsigned char)(1 + rand() % 255);
        bad += sign(memcmp(a, c, 64)) != sign(lib_memcmp(a, c, 64));
    }
    TAP_OK(bad == 0, "memmove and memcmp agree with the C library (2000 runs)");
    lib_memset(a, 0xA5, 10);
    TAP_OK(a[0] == 0xA5 && a[9] == 0xA5, "memset");
    TAP_OK(lib_memcpy(c, "vtd", 4) == c && !strcmp((char *)c, "vtd"), "memcpy");
    TAP_OK(lib_memchr("a\nb", '\n', 3) != NULL &&
               *(const char *)lib_memchr("a\nb", '\n', 3) == '\n' &&
               lib_memchr("a\nb", '\n', 1) == NULL &&
               lib_memchr("\xffx", 0xff, 2) != NULL,
           "memchr");
    TAP_EQ_U64(lib_strlen("dmar"), 4, "strlen");
    TAP_EQ_U64(lib_strnlen("dmar", 2), 2, "strnlen stops at max");
    TAP_OK(sign(lib_strcmp("a", "b")) == -1 && lib_strcmp("x", "x") == 0 &&
               sign(lib_strcmp("b", "a")) == 1,
           "strcmp orders");
    TAP_OK(lib_strcmp("\xff", "a") > 0, "strcmp compares unsigned");
    TAP_OK(lib_strncmp("abcd", "abce", 3) == 0 &&
               lib_strncmp("ab", "ac", 2) < 0,
           "strncmp");
    TAP_OK(lib_strchr("a,b", ',') && *lib_strchr("a,b", ',') == ',' &&
               lib_strchr("ab", 'z') == NULL && lib_strchr("ab", 0) != NULL,
           "strchr");
    return tap_done();
}

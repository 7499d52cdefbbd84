/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/acpi/dmar_canon.c — what acpi/dmar.c makes of a raw DMAR file, one
 * line per header, structure and scope, in the canonical form the oracle
 * (tests/acpi/dmar-oracle) also derives from `iasl -d`:
 *
 *   header len=0x70 haw=0x26 flags=0x0
 *   struct off=0x30 type=0x0 len=0x40 flags=0x0 size=0x0 seg=0x0 base=...
 *   scope off=0x40 type=0x3 len=0x8 flags=0x0 enum=0x0 bus=0xff path=00.00
 *   error DMAR +0x41: ... [bad length]
 *
 * Exit status: 0 parsed, 1 the parser refused the table, 2 usage or I/O.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "acpi/acpi.h"
#include "acpi/dmar.h"

static struct dmar d;
static unsigned char buf[1 << 20];

static void to_stdout(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    fwrite(s, 1, n, stdout);
}

int main(int argc, char **argv)
{
    static const struct acpi_out out = { to_stdout, NULL };
    struct acpi_error err = { 0 };
    enum acpi_status st;
    unsigned i, j;
    size_t len;
    FILE *f;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DMAR.bin\n", argv[0]);
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    len = fread(buf, 1, sizeof(buf), f);
    fclose(f);

    st = dmar_parse(buf, len, &d, &err);
    printf("header len=0x%" PRIx32 " haw=0x%x flags=0x%x\n", d.hdr.length,
           d.haw, d.flags);
    for (i = 0; i < d.count; i++) {
        const struct dmar_struct *s = &d.s[i];

        printf("struct off=0x%" PRIx32 " type=0x%x len=0x%x", s->offset,
               s->type, s->length);
        switch (s->type) {
        case DMAR_DRHD:
            printf(" flags=0x%x size=0x%x seg=0x%x base=0x%" PRIx64, s->flags,
                   s->size, s->segment, s->base);
            break;
        case DMAR_RMRR:
            printf(" seg=0x%x base=0x%" PRIx64 " limit=0x%" PRIx64, s->segment,
                   s->base, s->limit);
            break;
        case DMAR_ATSR:
        case DMAR_SATC:
            printf(" flags=0x%x seg=0x%x", s->flags, s->segment);
            break;
        case DMAR_SIDP:
            printf(" seg=0x%x", s->segment);
            break;
        case DMAR_RHSA:
            printf(" base=0x%" PRIx64 " prox=0x%" PRIx32, s->base,
                   s->proximity);
            break;
        case DMAR_ANDD:
            printf(" number=0x%x name=\"%s\"", s->andd_number, s->andd_name);
            break;
        default:
            break;
        }
        printf("\n");
        for (j = s->first_scope; j < s->first_scope + s->scope_count; j++) {
            const struct dmar_scope *sc = &d.scope[j];
            unsigned k;

            printf("scope off=0x%" PRIx32 " type=0x%x len=0x%x flags=0x%x "
                   "enum=0x%x bus=0x%x path=",
                   sc->offset, sc->type, sc->length, sc->flags, sc->enum_id,
                   sc->start_bus);
            for (k = 0; k < sc->path_len; k++)
                printf("%s%02x.%02x", k ? "," : "", sc->path[k][0],
                       sc->path[k][1]);
            printf("\n");
        }
    }
    if (st != ACPI_OK) {
        acpi_error_print(&out, "error ", &err);
        return 1;
    }
    for (i = 0; i < d.warning_count && i < DMAR_MAX_WARNINGS; i++)
        acpi_error_print(&out, "warning ", &d.warning[i]);
    return 0;
}

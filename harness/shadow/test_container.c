/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host container's VFIO type1 rules, one check each: the harness is
 * only as strict as these.
 */
#include <errno.h>

#include "harness/shadow/container.h"
#include "tests/host/tap.h"

#define K4 0x1000ull
#define M2 0x200000ull

int main(void)
{
    struct shc *c = shc_new("test", 48, 4);
    uint64_t n;

    TAP_OK(shc_map(c, 0x10000, 0x3000, 0x50000, 3) == 0, "map 3 pages");
    TAP_OK(shc_map(c, 0x12000, K4, 0x90000, 1) == -EEXIST,
           "map over an existing mapping: EEXIST");
    TAP_OK(shc_map(c, 0xF000, 0x2000, 0x90000, 1) == -EEXIST,
           "map overlapping the start of one: EEXIST");
    TAP_OK(shc_map(c, 0x13000, K4, 0x90000, 1) == 0,
           "map right after one: fine");
    TAP_OK(shc_map(c, 0x20800, K4, 0x90000, 1) == -EINVAL,
           "unaligned iova: EINVAL");
    TAP_OK(shc_map(c, 0x20000, 0x800, 0x90000, 1) == -EINVAL,
           "unaligned size: EINVAL");
    TAP_OK(shc_map(c, 0x20000, K4, 0x90800, 1) == -EINVAL,
           "unaligned vaddr: EINVAL");
    TAP_OK(shc_map(c, 0x20000, 0, 0x90000, 1) == -EINVAL, "size 0: EINVAL");
    TAP_OK(shc_map(c, 0x20000, K4, 0x90000, 0) == -EINVAL,
           "no permission: EINVAL");
    TAP_OK(shc_map(c, 0xFFFFFFFFFFFFF000ull, 0x2000, 0x90000, 1) == -EINVAL,
           "wrapping range: EINVAL");
    TAP_OK(shc_map(c, 1ull << 48, K4, 0x90000, 1) == -EINVAL,
           "beyond the aperture: EINVAL");

    TAP_OK(shc_unmap(c, 0x11000, K4, &n) == -EINVAL && n == 0 &&
               iova_tree_count(c->maps) == 2,
           "unmap splitting a mapping: EINVAL, nothing unmapped");
    TAP_OK(shc_unmap(c, 0xF000, 0x2000, &n) == -EINVAL,
           "unmap ending inside a mapping: EINVAL");
    TAP_OK(shc_unmap(c, 0, 0x10000, &n) == 0 && n == 0,
           "unmap over a hole: fine, nothing removed");
    TAP_OK(shc_unmap(c, 0, 0x100000, &n) == 0 && n == 0x4000 &&
               iova_tree_count(c->maps) == 0,
           "unmap over holes and two mappings: both removed, size reported");
    TAP_OK(shc_unmap(c, 0, 0x800, &n) == -EINVAL, "unaligned unmap: EINVAL");
    TAP_OK(shc_unmap(c, 0, 0, &n) == -EINVAL, "unmap of size 0: EINVAL");
    TAP_OK(shc_unmap(c, 0xFFFFFFFFFFFFF000ull, 0x2000, &n) == -EINVAL,
           "wrapping unmap: EINVAL");

    for (unsigned i = 0; i < 4; i++)
        shc_map(c, M2 * i, M2, M2 * i, 3);
    TAP_OK(shc_map(c, M2 * 8, M2, 0, 3) == -ENOSPC,
           "more mappings than the limit: ENOSPC");
    TAP_OK(shc_unmap_all(c, &n) == 0 && n == 4 * M2 &&
               iova_tree_count(c->maps) == 0,
           "unmap all");

    /* through the notifier interface: a duplicate UNMAP is an error */
    {
        struct vtd_notify_event map = {
            .type = VTD_EV_MAP, .iova = M2, .size = M2, .addr = 0, .perm = 3
        };
        struct vtd_notify_event un = { .type = VTD_EV_UNMAP,
                                       .iova = M2,
                                       .size = M2 };

        c->errors = 0;
        TAP_OK(shc_notify(c, &map) == 0 && shc_notify(c, &un) == 0 &&
                   c->errors == 0,
               "MAP then UNMAP events");
        TAP_OK(shc_notify(c, &un) == 0 && c->errors == 1 &&
                   c->useless_unmaps == 1,
               "a second UNMAP of the same entry is recorded as an error: %s",
               c->first_error);
        un.unmap_all = true;
        c->errors = 0;
        TAP_OK(shc_notify(c, &un) == 0 && c->errors == 0,
               "an unmap-all chunk over a hole is fine");
    }
    shc_free(c);
    return tap_done();
}

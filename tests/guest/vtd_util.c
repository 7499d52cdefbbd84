/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tests/guest/vtd_util.c — shared set-up and expectations of the VT-d
 * C checks.
 */
#include "lib/platform.h"
#include "lib/printf.h"
#include "lib/report.h"
#include "engine/env.h"
#include "tests/guest/vtd_util.h"

bool vtu_ok(const struct vtd_unit *u, int rc, const char *what)
{
    if (rc == VTD_OK)
        return true;
    report_error("%s: %s: %s", what, vtd_strerror(rc), vtd_errmsg(u));
    return false;
}

bool vtu_unit(struct vtd_unit *u)
{
    const struct env *e = env_get();
    int rc;

    if (!e->vtd_found) {
        report_skip(e->vtd_missing, "remapping unit present");
        return false;
    }
    rc = vtd_unit_init(u, e->vtd_base);
    if (!vtu_ok(u, rc, "unit init"))
        return false;
    /* Reserved bits of table addresses start at the platform's host
     * address width, which only the DMAR table states. */
    u->haw = e->dmar.haw + 1u;
    rc = vtd_unit_quiesce(u);
    return vtu_ok(u, rc, "quiesce at start");
}

bool vtu_need_translation(const struct vtd_unit *u)
{
    if (u->caps.sagaw)
        return true;
    report_skip("CAP.SAGAW is 0: the unit offers no second-level "
                "translation",
                "DMA translation available");
    return false;
}

unsigned vtu_nr_edu(void)
{
    return env_get()->nr_edu;
}

struct edu *vtu_edu(unsigned i)
{
    const struct env *e = env_get();

    if (i >= e->nr_edu) {
        static char why[64];

        vt_snprintf(why, sizeof(why),
                    "needs edu device %u, the machine "
                    "has %u",
                    i, e->nr_edu);
        report_skip(why, "edu device %u present", i);
        return NULL;
    }
    if (e->edu_err[i]) {
        report_error("edu device %u: %s", i, edu_strerror(e->edu_err[i]));
        return NULL;
    }
    return (struct edu *)&e->edu[i];
}

bool vtu_dma_unit(struct vtd_unit *u, struct edu **edu)
{
    if (!vtu_unit(u) || !vtu_need_translation(u))
        return false;
    *edu = vtu_edu(0);
    return *edu != NULL;
}

bool vtu_dma_page(uint8_t **va, uint64_t *pa)
{
    *va = plat_alloc_pages(1);
    if (!*va) {
        report_error("no pages for DMA buffers");
        return false;
    }
    *pa = plat_virt_to_phys(*va);
    return true;
}

bool vtu_qi_start(struct vtd_unit *u, struct vtd_qi *qi, bool dw)
{
    return vtu_ok(u, vtd_qi_init(qi, u, 0, dw), "QI init") &&
           vtu_ok(u, vtd_qi_enable(qi), "QI enable");
}

bool vtu_expect_fault(struct vtd_unit *u, unsigned reason, uint16_t sid,
                      uint64_t addr, bool read, const char *what)
{
    struct vtd_fault_log log;
    const struct vtd_fault *f = &log.rec[0];

    vtd_fault_collect(u, &log);
    for (unsigned i = 0; i < log.n; i++)
        vtd_fault_print(&log.rec[i]);
    if (!report(log.n == 1,
                "%s: one fault recorded (FSTS 0x%08x, %u "
                "records)",
                what, log.fsts, log.n))
        return false;
    report(f->reason == reason, "%s: reason 0x%x (%s), got 0x%x (%s)", what,
           reason, vtd_fault_reason_name(reason), f->reason,
           vtd_fault_reason_name(f->reason));
    report(f->sid == sid, "%s: source-id 0x%04x, got 0x%04x", what, sid,
           f->sid);
    report(f->addr == (addr & ~0xFFFull), "%s: address 0x%lx, got 0x%lx", what,
           (unsigned long)(addr & ~0xFFFull), (unsigned long)f->addr);
    report(f->read == read, "%s: access type %s, got %s", what,
           read ? "read" : "write", f->read ? "read" : "write");
    return f->reason == reason && f->sid == sid;
}

bool vtu_expect_no_fault(struct vtd_unit *u, const char *what)
{
    struct vtd_fault_log log;

    vtd_fault_collect(u, &log);
    for (unsigned i = 0; i < log.n; i++)
        vtd_fault_print(&log.rec[i]);
    return report(log.n == 0 && !(log.fsts & (VTD_FSTS_PPF | VTD_FSTS_PFO)),
                  "%s: no fault recorded (FSTS 0x%08x)", what, log.fsts);
}

void vtu_quiesce(struct vtd_unit *u)
{
    vtu_ok(u, vtd_unit_quiesce(u), "quiesce at end");
}

bool vtu_dma(struct edu *e, enum edu_dir dir, uint64_t iova, uint32_t off,
             uint32_t count)
{
    int rc = edu_dma(e, dir, iova, off, count, 0);

    if (rc == EDU_OK)
        return true;
    report_error("edu DMA %s IOVA 0x%lx count %u: %s",
                 dir == EDU_DEV_TO_RAM ? "to" : "from", (unsigned long)iova,
                 count, edu_strerror(rc));
    return false;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/ir.c — interrupt remapping table, entries and enables (spec 5.1,
 * 9.10, 9.11, 11.4.4, 11.4.10).
 */
#include <string.h>

#include "lib/platform.h"
#include "vtd/ir.h"

struct vtd_irte vtd_irte_remapped(const struct vtd_irte_req *r, bool eime)
{
    struct vtd_irte e;
    uint64_t dst = eime ? FIELD_PREP(VTD_IRTE_DST, r->dest)
                        : FIELD_PREP(VTD_IRTE_DST_XAPIC, r->dest & 0xFF);

    e.lo = VTD_IRTE_P | (r->fpd ? VTD_IRTE_FPD : 0) |
           (r->dm ? VTD_IRTE_DM : 0) | (r->rh ? VTD_IRTE_RH : 0) |
           (r->tm ? VTD_IRTE_TM : 0) | FIELD_PREP(VTD_IRTE_DLM, r->dlm) |
           FIELD_PREP(VTD_IRTE_V, r->vector) | dst;
    e.hi = FIELD_PREP(VTD_IRTE_SID, r->sid) | FIELD_PREP(VTD_IRTE_SQ, r->sq) |
           FIELD_PREP(VTD_IRTE_SVT, r->svt);
    return e;
}

struct vtd_irte vtd_irte_posted(const struct vtd_irte_req *r, uint8_t vv,
                                uint64_t pda, bool urg)
{
    struct vtd_irte e;

    e.lo = VTD_IRTE_P | VTD_IRTE_IM | (r->fpd ? VTD_IRTE_FPD : 0) |
           (urg ? VTD_IRTE_URG : 0) | FIELD_PREP(VTD_IRTE_VV, vv) |
           FIELD_PREP(VTD_IRTE_PDA_LO, (pda & 0xFFFFFFFFull) >> 6);
    e.hi = FIELD_PREP(VTD_IRTE_SID, r->sid) | FIELD_PREP(VTD_IRTE_SQ, r->sq) |
           FIELD_PREP(VTD_IRTE_SVT, r->svt) |
           FIELD_PREP(VTD_IRTE_PDA_HI, pda >> 32);
    return e;
}

int vtd_irt_init(struct vtd_irt *t, struct vtd_unit *u, unsigned s)
{
    size_t bytes;

    memset(t, 0, sizeof(*t));
    t->u = u;
    if (!vtd_has_ecap(u, VTD_ECAP_IR))
        return vtd_fail(u, VTD_ENOTSUP, "interrupt remapping needs ECAP.IR");
    if (s > 15)
        return vtd_fail(u, VTD_EINVAL, "IRTA.S %u above 15", s);
    t->s = s;
    t->nent = 2u << s;
    bytes = (size_t)t->nent * sizeof(struct vtd_irte);
    t->pages = (bytes + 0xFFF) / 0x1000;
    t->e = plat_alloc_pages(t->pages);
    if (!t->e)
        return vtd_fail(u, VTD_ENOMEM, "no pages for a %u-entry IRT", t->nent);
    t->pa = plat_virt_to_phys(t->e);
    return VTD_OK;
}

void vtd_irt_destroy(struct vtd_irt *t)
{
    if (t->e)
        plat_free_pages(t->e, t->pages);
    t->e = NULL;
}

int vtd_irt_write(struct vtd_irt *t, unsigned index, struct vtd_irte e)
{
    volatile uint64_t *w;

    if (!t->e || index >= t->nent)
        return vtd_fail(t->u, VTD_ERANGE, "IRTE %u beyond a %u-entry table",
                        index, t->nent);
    w = (volatile uint64_t *)&t->e[index];
    /* The word with P last, so the unit never sees a half-made entry
     * present (9.10). */
    w[1] = e.hi;
    plat_wmb();
    w[0] = e.lo;
    vtd_sync(t->u, &t->e[index], sizeof(e));
    return VTD_OK;
}

struct vtd_irte vtd_irt_read(const struct vtd_irt *t, unsigned index)
{
    struct vtd_irte e = { 0, 0 };

    if (t->e && index < t->nent)
        e = t->e[index];
    return e;
}

int vtd_ir_set_table(struct vtd_unit *u, const struct vtd_irt *t, bool eime,
                     bool sirtp)
{
    if (eime && !vtd_has_ecap(u, VTD_ECAP_EIM))
        return vtd_fail(u, VTD_ENOTSUP, "IRTA.EIME needs ECAP.EIM");
    if (t->pa & ~VTD_IRTA_IRTA)
        return vtd_fail(u, VTD_EINVAL, "IRT at 0x%lx not 4 KiB aligned",
                        (unsigned long)t->pa);
    vtd_write64(u, VTD_IRTA,
                t->pa | (eime ? VTD_IRTA_EIME : 0) |
                    FIELD_PREP(VTD_IRTA_S, t->s));
    if (!sirtp)
        return VTD_OK;
    return vtd_gcmd_oneshot(u, VTD_GCMD_SIRTP);
}

int vtd_ir_enable(struct vtd_unit *u, bool on)
{
    if (on && !vtd_has_ecap(u, VTD_ECAP_IR))
        return vtd_fail(u, VTD_ENOTSUP, "GCMD.IRE needs ECAP.IR");
    return vtd_gcmd_enable(u, VTD_GCMD_IRE, on);
}

int vtd_ir_cfi(struct vtd_unit *u, bool on)
{
    if (on && !vtd_has_ecap(u, VTD_ECAP_IR))
        return vtd_fail(u, VTD_ENOTSUP, "GCMD.CFI needs ECAP.IR");
    return vtd_gcmd_enable(u, VTD_GCMD_CFI, on);
}

uint64_t vtd_msi_remappable(unsigned handle, bool shv)
{
    return VTD_MSI_ADDR_BASE | VTD_MSI_IF | (shv ? VTD_MSI_SHV : 0) |
           FIELD_PREP(VTD_MSI_HANDLE, handle & 0x7FFF) |
           ((handle & 0x8000) ? VTD_MSI_HANDLE_15 : 0);
}

uint64_t vtd_msi_compat(uint8_t dest)
{
    return VTD_MSI_ADDR_BASE | FIELD_PREP(VTD_MSI_COMPAT_DEST, dest);
}

bool vtd_fault_is_ir(unsigned reason)
{
    return reason >= VTD_FR_IR_REQ_RSVD && reason <= VTD_FR_IR_SID;
}

unsigned vtd_fault_ir_index(const struct vtd_fault *f)
{
    return (unsigned)(f->lo >> 48);
}

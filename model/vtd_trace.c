/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model/vtd_trace.c — the optional event trace and human-readable names.
 */
#include <stdio.h>

#include "model/vtd_internal.h"

void vtd_trace_emit(struct vtd_model *m, enum vtd_trace_kind kind, uint16_t sid,
                    uint32_t pasid, uint64_t a, uint64_t b, uint64_t c)
{
    struct vtd_trace_event ev = {
        .kind = kind,
        .sid = sid,
        .pasid = pasid,
        .a = a,
        .b = b,
        .c = c,
    };

    if (m->env.trace)
        m->env.trace(m->env.opaque, &ev);
}

static const struct {
    uint8_t fr;
    const char *name;
} fr_names[] = {
    { MV_FR_ROOT_P, "root entry not present" },
    { MV_FR_CTX_P, "context entry not present" },
    { MV_FR_CTX_INV, "invalid context entry programming" },
    { MV_FR_ADDR_BEYOND, "input address beyond AGAW/MGAW" },
    { MV_FR_WRITE, "write without W permission" },
    { MV_FR_READ, "read without R permission" },
    { MV_FR_PTE_ACCESS, "error accessing paging entry" },
    { MV_FR_ROOT_ACCESS, "error accessing root entry" },
    { MV_FR_CTX_ACCESS, "error accessing context entry" },
    { MV_FR_ROOT_RSVD, "reserved field in root entry" },
    { MV_FR_CTX_RSVD, "reserved field in context entry" },
    { MV_FR_PTE_RSVD, "reserved field in paging entry" },
    { MV_FR_ATS_BLOCKED, "translation request blocked by context TT" },
    { MV_FR_INTR_RANGE, "output address in interrupt range" },
    { MV_FR_IR_REQ_RSVD, "reserved bits in interrupt request" },
    { MV_FR_IR_INDEX, "interrupt index beyond IRT size" },
    { MV_FR_IR_NOT_PRESENT, "IRTE not present" },
    { MV_FR_IR_ACCESS, "error accessing IRT" },
    { MV_FR_IR_RSVD, "reserved field in IRTE" },
    { MV_FR_IR_COMPAT, "compatibility-format interrupt blocked" },
    { MV_FR_IR_SID, "interrupt source-id verification failed" },
    { MV_FR_SM_RTA, "invalid root table address/mode" },
    { MV_FR_SM_LEGACY_PASID, "request with PASID in legacy mode" },
    { MV_FR_SM_LEGACY_PRQ, "page request in legacy mode" },
    { MV_FR_SM_ROOT_ACCESS, "error accessing scalable root entry" },
    { MV_FR_SM_ROOT_P, "scalable root entry not present" },
    { MV_FR_SM_ROOT_RSVD, "reserved field in scalable root entry" },
    { MV_FR_SM_CTX_ACCESS, "error accessing scalable context entry" },
    { MV_FR_SM_CTX_P, "scalable context entry not present" },
    { MV_FR_SM_CTX_RSVD, "reserved field in scalable context entry" },
    { MV_FR_SM_CTX_INV, "invalid scalable context entry" },
    { MV_FR_SM_DTE, "translation request with DTE=0" },
    { MV_FR_SM_PASIDE, "request with PASID and PASIDE=0" },
    { MV_FR_SM_PASID_SIZE, "PASID beyond PASID directory size" },
    { MV_FR_SM_PRE, "page request with PRE=0" },
    { MV_FR_SM_PDIR_ACCESS, "error accessing PASID directory entry" },
    { MV_FR_SM_PDIR_P, "PASID directory entry not present" },
    { MV_FR_SM_PDIR_RSVD, "reserved field in PASID directory entry" },
    { MV_FR_SM_PE_ACCESS, "error accessing PASID entry" },
    { MV_FR_SM_PE_P, "PASID entry not present" },
    { MV_FR_SM_PE_RSVD, "reserved field in PASID entry" },
    { MV_FR_SM_PE_INV, "invalid PASID entry programming" },
    { MV_FR_SM_ERE, "execute request not allowed" },
    { MV_FR_SM_SRE, "supervisor request not allowed" },
    { MV_FR_FS_ACCESS, "error accessing first-stage entry" },
    { MV_FR_FS_P, "first-stage entry not present" },
    { MV_FR_FS_RSVD, "reserved field in first-stage entry" },
    { MV_FR_FS_PTR, "invalid first-stage table pointer" },
    { MV_FR_SS_ACCESS, "error accessing second-stage entry" },
    { MV_FR_SS_PERM, "second-stage entry not present or no access" },
    { MV_FR_SS_RSVD, "reserved field in second-stage entry" },
    { MV_FR_SS_PTR, "invalid second-stage table pointer" },
    { MV_FR_FS_CANONICAL, "non-canonical first-stage address" },
    { MV_FR_FS_US, "user request to supervisor page" },
    { MV_FR_SM_ADDR_BEYOND, "host address beyond HAW" },
    { MV_FR_SS_ADDR_BEYOND, "second-stage input beyond the address width" },
    { MV_FR_FS_WRITE, "write without write permission" },
    { MV_FR_SM_READ, "read without read permission" },
    { MV_FR_SM_INTR_RANGE, "output address in interrupt range" },
};

const char *vtd_model_fault_reason_name(unsigned reason)
{
    for (size_t i = 0; i < sizeof(fr_names) / sizeof(fr_names[0]); i++)
        if (fr_names[i].fr == reason)
            return fr_names[i].name;
    return "unknown";
}

static const char *kind_name(enum vtd_trace_kind k)
{
    /* clang-format off */
    switch (k) {
    case VTD_TRACE_REG_WRITE: return "reg-write";
    case VTD_TRACE_REG_READ:  return "reg-read";
    case VTD_TRACE_WALK:      return "walk";
    case VTD_TRACE_HIT:       return "cache-hit";
    case VTD_TRACE_MISS:      return "cache-miss";
    case VTD_TRACE_INVAL:     return "inval";
    case VTD_TRACE_FAULT:     return "fault";
    case VTD_TRACE_QI:        return "qi-desc";
    case VTD_TRACE_IR:        return "intr";
    case VTD_TRACE_GCMD:      return "gcmd";
    default:                  return "?";
    }
    /* clang-format on */
}

const char *vtd_trace_format(const struct vtd_trace_event *ev, char *buf,
                             size_t len)
{
    if (!len)
        return buf;
    if (ev->kind == VTD_TRACE_FAULT)
        snprintf(buf, len, "fault sid=%04x fi=0x%llx reason=0x%llx (%s)%s",
                 ev->sid, (unsigned long long)ev->a, (unsigned long long)ev->b,
                 vtd_model_fault_reason_name((unsigned)ev->b),
                 ev->c ? "" : " suppressed");
    else
        snprintf(buf, len, "%s sid=%04x pasid=%x a=0x%llx b=0x%llx c=0x%llx",
                 kind_name(ev->kind), ev->sid, ev->pasid,
                 (unsigned long long)ev->a, (unsigned long long)ev->b,
                 (unsigned long long)ev->c);
    return buf;
}

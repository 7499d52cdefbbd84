/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtd/fault.c — fault recording registers (spec 7.2.1, 10.4.9, 10.4.14).
 */
#include <string.h>

#include "lib/printf.h"
#include "vtd/fault.h"

struct reason {
    uint8_t code;
    const char *name;
};

/* Appendix: fault reason encodings (legacy, interrupt remapping, scalable
 * mode), as vtd-facts 8.4 lists them. */
static const struct reason reasons[] = {
    { 0x00, "reserved" },
    { 0x01, "root entry not present" },
    { 0x02, "context entry not present" },
    { 0x03, "invalid context entry programming" },
    { 0x04, "input address beyond the address width" },
    { 0x05, "write without write permission" },
    { 0x06, "read without read permission" },
    { 0x07, "error accessing a paging entry" },
    { 0x08, "error accessing the root entry" },
    { 0x09, "error accessing the context entry" },
    { 0x0A, "reserved field set in a present root entry" },
    { 0x0B, "reserved field set in a present context entry" },
    { 0x0C, "reserved field set in a present paging entry" },
    { 0x0D, "translation type blocks the request" },
    { 0x0E, "translated address in the interrupt range" },
    { 0x20, "IR: reserved field in the interrupt request" },
    { 0x21, "IR: index beyond the IRT size" },
    { 0x22, "IR: IRTE not present" },
    { 0x23, "IR: error reading the IRT" },
    { 0x24, "IR: reserved field set in a present IRTE" },
    { 0x25, "IR: compatibility-format interrupt blocked" },
    { 0x26, "IR: source-id verification failed" },
    { 0x30, "SM: invalid root table address" },
    { 0x31, "SM: legacy root table with a PASID request" },
    { 0x32, "SM: legacy root table with a page request" },
    { 0x38, "SM: error accessing the root entry" },
    { 0x39, "SM: root entry not present" },
    { 0x3A, "SM: reserved field set in the root entry" },
    { 0x40, "SM: error accessing the context entry" },
    { 0x41, "SM: context entry not present" },
    { 0x42, "SM: reserved field set in the context entry" },
    { 0x43, "SM: invalid context entry" },
    { 0x44, "SM: DTE clear for a translation request" },
    { 0x45, "SM: PASIDE clear for a request with PASID" },
    { 0x46, "SM: PASID beyond the PASID directory size" },
    { 0x47, "SM: PRE clear for a page request" },
    { 0x48, "SM: RID_PASID error" },
    { 0x50, "SM: error accessing the PASID directory entry" },
    { 0x51, "SM: PASID directory entry not present" },
    { 0x52, "SM: reserved field set in the PASID directory entry" },
    { 0x58, "SM: error accessing the PASID entry" },
    { 0x59, "SM: PASID entry not present" },
    { 0x5A, "SM: reserved field set in the PASID entry" },
    { 0x5B, "SM: invalid PASID entry" },
    { 0x5C, "SM: execute request with ERE clear" },
    { 0x5D, "SM: supervisor request with SRE clear" },
    { 0x70, "SM: error accessing a first-stage entry" },
    { 0x71, "SM: first-stage entry not present" },
    { 0x72, "SM: reserved field set in a first-stage entry" },
    { 0x73, "SM: invalid first-stage table pointer" },
    { 0x74, "SM: nested: error accessing a first-stage entry" },
    { 0x75, "SM: nested: first-stage entry not present" },
    { 0x76, "SM: nested: reserved field in a first-stage entry" },
    { 0x77, "SM: nested: invalid first-stage table pointer" },
    { 0x78, "SM: error accessing a second-stage entry" },
    { 0x79, "SM: second-stage permission fault" },
    { 0x7A, "SM: reserved field set in a second-stage entry" },
    { 0x7B, "SM: invalid second-stage table pointer" },
    { 0x7C, "SM: A/D update needed under no-snoop" },
    { 0x80, "SM: non-canonical first-stage address" },
    { 0x81, "SM: user request to a supervisor page" },
    { 0x83, "SM: input address beyond the hardware maximum" },
    { 0x84, "SM: second-stage output beyond the maximum" },
    { 0x85, "SM: write without write permission" },
    { 0x86, "SM: read without read permission" },
    { 0x87, "SM: output in the interrupt range" },
    { 0x90, "SM: A/D update needed under no-snoop (second stage)" },
};

const char *vtd_fault_reason_name(unsigned reason)
{
    for (unsigned i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (reasons[i].code == reason)
            return reasons[i].name;
    return "reserved";
}

static uint32_t frcd_off(const struct vtd_unit *u, unsigned index)
{
    return u->frcd + 16 * index;
}

bool vtd_fault_pending(const struct vtd_unit *u, unsigned index)
{
    return vtd_read32(u, frcd_off(u, index) + 12) & (1u << 31);
}

void vtd_fault_read(const struct vtd_unit *u, unsigned index,
                    struct vtd_fault *f)
{
    uint32_t off = frcd_off(u, index);
    /* 10.4.14: F lives in the top dword; read it first, then the rest. */
    uint64_t hi = (uint64_t)vtd_read32(u, off + 12) << 32;

    hi |= vtd_read32(u, off + 8);
    memset(f, 0, sizeof(*f));
    f->index = index;
    f->hi = hi;
    f->lo = vtd_read64(u, off);
    f->addr = f->lo & VTD_FRCD_FI;
    f->sid = (uint16_t)FIELD_GET(VTD_FRCD_SID, hi);
    f->reason = (uint8_t)FIELD_GET(VTD_FRCD_FR, hi);
    f->read = hi & VTD_FRCD_T;
    f->pp = hi & VTD_FRCD_PP;
    f->exe = hi & VTD_FRCD_EXE;
    f->priv = hi & VTD_FRCD_PRIV;
    f->pasid = (uint32_t)FIELD_GET(VTD_FRCD_PV, hi);
    f->at = (unsigned)FIELD_GET(VTD_FRCD_AT, hi);
}

void vtd_fault_clear(struct vtd_unit *u, unsigned index)
{
    /* F is write-1-to-clear; the other fields ignore writes. */
    vtd_write32(u, frcd_off(u, index) + 12, 1u << 31);
}

unsigned vtd_fault_collect(struct vtd_unit *u, struct vtd_fault_log *log)
{
    unsigned nfr = u->caps.nfr, i;

    memset(log, 0, sizeof(*log));
    log->fsts = vtd_read32(u, VTD_FSTS);
    log->pfo = log->fsts & VTD_FSTS_PFO;
    if (log->fsts & VTD_FSTS_PPF) {
        i = (unsigned)FIELD_GET(VTD_FSTS_FRI, log->fsts);
        for (unsigned k = 0; k < nfr; k++, i = (i + 1) % nfr) {
            struct vtd_fault f;

            if (i >= nfr || !vtd_fault_pending(u, i))
                break;
            vtd_fault_read(u, i, &f);
            vtd_fault_clear(u, i);
            if (log->n < sizeof(log->rec) / sizeof(log->rec[0]))
                log->rec[log->n++] = f;
            else
                log->lost++;
        }
    }
    if (log->pfo)
        vtd_write32(u, VTD_FSTS, VTD_FSTS_PFO);
    return log->n;
}

void vtd_fault_clear_all(struct vtd_unit *u)
{
    for (unsigned i = 0; i < u->caps.nfr; i++)
        if (vtd_fault_pending(u, i))
            vtd_fault_clear(u, i);
    vtd_write32(u, VTD_FSTS, vtd_read32(u, VTD_FSTS) & VTD_FSTS_W1C);
}

void vtd_fault_print(const struct vtd_fault *f)
{
    vt_printf("# fault FRCD[%u]: reason 0x%02x (%s) sid %02x:%02x.%x %s "
              "addr 0x%lx%s\n",
              f->index, f->reason, vtd_fault_reason_name(f->reason),
              f->sid >> 8, (f->sid >> 3) & 0x1F, f->sid & 7,
              f->read ? "read" : "write", (unsigned long)f->addr,
              f->pp ? " (with PASID)" : "");
}

# SPDX-License-Identifier: GPL-2.0-or-later
"""Which parts of the VT-d architecture the checks exercise, per target
(coverage.md and coverage.json beside the HTML report).

A check exercises an item when its observable text says so.  That text
is the check's name (a C check's message, or a scenario's statement as
written), the title of the scenario it ran in (the serial log's
"# scenario NAME (file:line): title" line), and words derived from the
statement:

  desc-type=N     the descriptor type a queued invalidation used: the type
                  field of "qi raw qw0=..." (bits 3:0 and 11:9), "qi wait"
                  (5), an "inv cc|iotlb|devtlb" statement issued through
                  the queue (1, 2, 3), a C check's "type N:"
  fault=0xNN      the fault reason a check expects or reads: the scenario
                  words of "expect=fault:WORD" (engine/parse.c), a
                  number there, "reason 0xN" and "fault 0xN recorded"
  interface=reg|qi  an "inv" statement's interface: its via=, else gran=
                  alone (registers) or expect= alone (the queue), else the
                  run's inv= word; reg-cc, reg-iotlb, reg-iotlb-page follow
  xlate-dma       a DMA expected to complete through translation (not
                  under "TE off" or pass-through): it walked the root,
                  context and page-table entries

and, for a skipped check, the reason it gives (which names what the check
requires).

RULES below is the one table: for each item, regular expressions over that
text; an item is exercised by a check when one of them matches.  The fault
reasons are the exception: their items are vtd/fault.c's table, each
matched by its fault=0xNN word.  A skipped check counts apart.
"""

import collections
import json
import os
import re

from . import results

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# ---------------------------------------------------------------- the table

_FRCD = [r"\bFRCD\b", r"\bfault=0x", r"\bone fault recorded", r"\bfault 0x[0-9a-f]+ recorded",
         r"\brecording register", r"\bsource-id 0x", r"\baccess type (read|write)\b"]
_XLATE = [r"\bxlate-dma\b"]
# A leaf size named (not "the 2M block" a 4 KiB-leaf PSI covers).
_SLLPS = [r"\b(2 MiB|1 GiB)\b", r"\b(2M|1G)\b(?! block)", r"\b(2m|1g)\b", r"\bsplit\b",
          r"\bmerge"]

# (group, item, what it is, [patterns]).  Groups: register, CAP, ECAP,
# descriptor, and the in-memory entries (root, context, sl-pte, sm-root,
# sm-context, pasid-dir, pasid, fs-pte, irte).
RULES = [
    # Registers (offsets in vtd/regs.h and model/vtd_regs.h).
    ("register", "VER", "version", [r"\bVER\b"]),
    ("register", "CAP", "capability", [r"\bCAP\b"]),
    ("register", "ECAP", "extended capability", [r"\bECAP\b"]),
    ("register", "GCMD", "global command",
     [r"\bGCMD\b", r"\b(TE|SRTP|SFL|EAFL|WBF|QIE|IRE|SIRTP|CFI)=[01]\b",
      r"\b(SRTP|SIRTP|WBF)\b", r"\bTE off\b", r"\bone-shot command", r"\bquiesce\b"]),
    ("register", "GSTS", "global status",
     [r"\bGSTS\b", r"\b(TES|RTPS|FLS|AFLS|WBFS|QIES|IRES|IRTPS|CFIS)\b", r"\backnowledged\b"]),
    ("register", "RTADDR", "root table address", [r"\bRTADDR\b", r"\bSRTP\b", r"\bTTM\b"]),
    ("register", "CCMD", "context command",
     [r"\bCCMD\b", r"\b(ICC|CIRG|CAIG)\b", r"\breg-cc\b", r"\bCC (global|domain|device)"]),
    ("register", "FSTS", "fault status",
     [r"\bFSTS\b", r"\b(PFO|PPF|IQE|ICE|ITE|FRI)\b",
      r"\bdma(-wait)? edu\d.* expect=(ok|nofault|fault:\S+)", r"\bexpect=[a-z,]*\biqe\b"]),
    ("register", "FECTL", "fault event control", [r"\bFECTL\b"]),
    ("register", "FEDATA", "fault event data", [r"\bFEDATA\b"]),
    ("register", "FEADDR", "fault event address", [r"\bFEADDR\b"]),
    ("register", "FEUADDR", "fault event upper address", [r"\bFEUADDR\b"]),
    ("register", "AFLOG", "advanced fault log", [r"\bAFLOG\b"]),
    ("register", "PMEN", "protected memory enable", [r"\bPMEN\b"]),
    ("register", "PLMBASE", "protected low-memory base", [r"\bPLMBASE\b"]),
    ("register", "PLMLIMIT", "protected low-memory limit", [r"\bPLMLIMIT\b"]),
    ("register", "PHMBASE", "protected high-memory base", [r"\bPHMBASE\b"]),
    ("register", "PHMLIMIT", "protected high-memory limit", [r"\bPHMLIMIT\b"]),
    ("register", "IQH", "invalidation queue head", [r"\bIQH\b", r"\bexpect=[a-z,]*\biqe\b"]),
    ("register", "IQT", "invalidation queue tail",
     [r"\bIQT\b", r"\bdesc-type=\d+", r"\binterface=qi\b"]),
    ("register", "IQA", "invalidation queue address",
     [r"\bIQA\b", r"\b(128|256)-bit (queue|descriptors)\b", r"\bqs=\d"]),
    ("register", "ICS", "invalidation completion status",
     [r"\bICS\b", r"\bIWC\b", r"\bif=1\b", r"\binterrupt flag\b"]),
    ("register", "IECTL", "invalidation event control", [r"\bIECTL\b"]),
    ("register", "IEDATA", "invalidation event data", [r"\bIEDATA\b"]),
    ("register", "IEADDR", "invalidation event address", [r"\bIEADDR\b"]),
    ("register", "IEUADDR", "invalidation event upper address", [r"\bIEUADDR\b"]),
    ("register", "IQERCD", "invalidation queue error record",
     [r"\bIQERCD\b", r"\b(IQEI|ITESID|ICESID)\b"]),
    ("register", "IRTA", "interrupt remapping table address", [r"\bIRTA\b", r"\bSIRTP\b"]),
    ("register", "PQH", "page request queue head", [r"\bPQH\b"]),
    ("register", "PQT", "page request queue tail", [r"\bPQT\b"]),
    ("register", "PQA", "page request queue address", [r"\bPQA\b"]),
    ("register", "PRS", "page request status", [r"(?<!ECAP\.)\bPRS\b"]),
    ("register", "PECTL", "page request event control", [r"\bPECTL\b"]),
    ("register", "PEDATA", "page request event data", [r"\bPEDATA\b"]),
    ("register", "PEADDR", "page request event address", [r"\bPEADDR\b"]),
    ("register", "PEUADDR", "page request event upper address", [r"\bPEUADDR\b"]),
    ("register", "MTRRCAP", "MTRR capability", [r"\bMTRRCAP\b"]),
    ("register", "MTRRDEF", "MTRR default type", [r"\bMTRRDEF\b"]),
    ("register", "IVA", "invalidate address",
     [r"\bIVA\b", r"\breg-iotlb-page\b", r"\bIOTLB page-selective",
      r"\brange invalidation .* through the registers"]),
    ("register", "IOTLB", "IOTLB invalidate",
     [r"\bIOTLB\.", r"\b(IVT|IIRG|IAIG)\b", r"\breg-iotlb\b", r"\bIOTLB registers",
      r"\bglobal IOTLB invalidation"]),
    ("register", "FRCD", "fault recording", _FRCD),

    # CAP fields (vtd/regs.h VTD_CAP_*).
    ("CAP", "ND", "number of domains", [r"\bCAP\.ND\b"]),
    ("CAP", "AFL", "advanced fault logging",
     [r"\bCAP\.AFL\b", r"\b(AFLOG|AFLS|EAFL|SFL)\b", r"\badvanced fault"]),
    ("CAP", "RWBF", "write-buffer flush required",
     [r"\bRWBF\b", r"\bWBFS?\b", r"\bwrite[- ]buffer"]),
    ("CAP", "PLMR", "protected low-memory region", [r"\bPLMR\b", r"\bPLM(BASE|LIMIT)\b"]),
    ("CAP", "PHMR", "protected high-memory region", [r"\bPHMR\b", r"\bPHM(BASE|LIMIT)\b"]),
    ("CAP", "CM", "caching mode", [r"\bCAP\.CM\b", r"\bcaching mode", r"\bcm[01]\b"]),
    ("CAP", "SAGAW", "supported adjusted guest address widths",
     [r"\bSAGAW\b", r"\bAGAW\b", r"\b[2345]-level\b", r"\baw=(30|39|48|57)\b", r"\bcontext AW\b"]),
    ("CAP", "MGAW", "maximum guest address width",
     [r"\bMGAW\b", r"2\^width", r"\bfault=0x04\b", r"\bbeyond (the )?(domain's )?address width",
      r"\bbeyond \d+ bits", r"\btop of \d+ bits", r"\bIOVA 2\^"]),
    ("CAP", "ZLR", "zero-length read", [r"\bZLR\b", r"\bzero-length"]),
    ("CAP", "FRO", "fault-recording register offset", [r"\bFRO\b"] + _FRCD),
    ("CAP", "SLLPS", "second-level large page support", [r"\bSLLPS\b"] + _SLLPS),
    ("CAP", "PSI", "page-selective invalidation",
     [r"\bPSI\b", r"\bpage-selective", r"\binv iotlb page\b"]),
    ("CAP", "NFR", "number of fault-recording registers",
     [r"\bNFR\b", r"\brecording register\(s\)", r"\bPFO\b"]),
    ("CAP", "MAMV", "maximum address mask value", [r"\bMAMV\b", r"\bam=mamv"]),
    ("CAP", "DWD", "write draining", [r"\bDWD\b", r"\binv iotlb\b.*\bdw=1\b"]),
    ("CAP", "DRD", "read draining", [r"\bDRD\b", r"\binv iotlb\b.*\bdr=1\b"]),
    ("CAP", "FL1GP", "first-level 1 GiB pages", [r"\bFL1GP\b"]),
    ("CAP", "PI", "posted interrupts", [r"\bCAP\.PI\b", r"\bposted\b"]),
    ("CAP", "FL5LP", "first-level 5-level paging", [r"\bFL5LP\b"]),
    ("CAP", "ECMDS", "enhanced command", [r"\bECMDS\b"]),
    ("CAP", "ESIRTPS", "SIRTP invalidates interrupt caches", [r"\bESIRTPS\b"]),
    ("CAP", "ESRTPS", "SRTP invalidates translation caches", [r"\bESRTPS\b"]),

    # ECAP fields (vtd/regs.h VTD_ECAP_*).
    ("ECAP", "C", "page-walk coherency",
     [r"\bECAP\.C\b", r"\bpage-walk coherency", r"\bclflush"]),
    ("ECAP", "QI", "queued invalidation",
     [r"\bECAP\.QI\b", r"\bQI\b", r"\bQIES?\b", r"\binterface=qi\b", r"\bdesc-type=",
      r"\bqueued\b", r"\bthrough the queue"]),
    ("ECAP", "DT", "device-TLB",
     [r"\bECAP\.DT\b", r"\bdevice-TLB", r"\bdevtlb\b", r"\bTT=01b\b", r"\bdesc-type=(3|8)\b"]),
    ("ECAP", "IR", "interrupt remapping",
     [r"\bECAP\.IR\b", r"\binterrupt[- ]remapping", r"\binterrupt-entry-cache", r"\bIRT[AE]?\b",
      r"\bIRES?\b", r"\bdesc-type=4\b"]),
    ("ECAP", "EIM", "extended interrupt mode", [r"\bEIME?\b", r"\bx2APIC\b"]),
    ("ECAP", "PT", "pass-through", [r"\bECAP\.PT\b", r"\bpass-?through", r"\bTT=10b\b"]),
    ("ECAP", "SC", "snoop control",
     [r"\bECAP\.SC\b", r"\bSNP\b", r"\bsnoop control", r", (no )?SC\b"]),
    ("ECAP", "IRO", "IOTLB register offset",
     [r"\bIRO\b", r"\bIOTLB registers at", r"\breg-iotlb\b", r"\b(IAIG|IIRG|IVT)\b"]),
    ("ECAP", "MHMV", "maximum handle mask value", [r"\bMHMV\b"]),
    ("ECAP", "MTS", "memory type support", [r"\bMTS\b", r"\bMTRR"]),
    ("ECAP", "NEST", "nested translation", [r"\bNEST\b", r"\bnested\b"]),
    ("ECAP", "PRS", "page requests", [r"\bECAP\.PRS\b", r"\bpage request"]),
    ("ECAP", "ERS", "execute requests", [r"\bERS\b", r"\bexecute request"]),
    ("ECAP", "SRS", "supervisor requests", [r"\bSRS\b", r"\bsupervisor request"]),
    ("ECAP", "NWFS", "no-write flag", [r"\bNWFS\b"]),
    ("ECAP", "EAFS", "extended accessed flag", [r"\bEAFS\b", r"\bextended[- ]accessed"]),
    ("ECAP", "PSS", "PASID size", [r"\bPSS\b", r"\bPASID width"]),
    ("ECAP", "PASID", "requests with PASID", [r"\bECAP\.PASID\b", r"\brequests? with PASID"]),
    ("ECAP", "DIT", "device-TLB invalidation throttling", [r"\bDIT\b", r"\bpfsid=(?!0\b)"]),
    ("ECAP", "PDS", "page-request drain", [r"\bPDS\b", r"\bpd=1\b", r"\bpage-request drain"]),
    ("ECAP", "SMTS", "scalable-mode translation",
     [r"\bSMTS\b", r"\bscalable[- ]mode", r"\bdw=1\b", r"\b256-bit\b", r"\bIQA\.DW\b",
      r"\bdesc-type=(6|7|8)\b"]),
    ("ECAP", "VCS", "virtual command", [r"\bVCS\b", r"\bvirtual command"]),
    ("ECAP", "SLADS", "second-level A/D", [r"\bSLADS\b", r"\bsecond-level A/D", r"\bSSADE\b"]),
    ("ECAP", "SLTS", "second-level translation (PGTT 010b)", [r"\bSLTS\b", r"\bPGTT=010"]),
    ("ECAP", "FLTS", "first-level translation", [r"\bFLTS\b", r"\bfirst-(level|stage)"]),
    ("ECAP", "SMPWCS", "scalable-mode page-walk coherency", [r"\bSMPWCS\b"]),
    ("ECAP", "RPS", "RID_PASID", [r"\bRPS\b", r"\bRID_PASID\b"]),
    ("ECAP", "PMS", "performance monitoring", [r"\bPMS\b", r"\bperformance monitor"]),
    ("ECAP", "ADMS", "abort-DMA mode", [r"\bADMS\b", r"\babort-DMA", r"\bTTM=11"]),
    ("ECAP", "RPRIVS", "RID_PRIV", [r"\bRPRIVS\b", r"\bRID_PRIV\b"]),

    # Invalidation descriptors (type = bits 3:0 | 11:9 << 4).
    ("descriptor", "context-cache (1)", "context-cache invalidate",
     [r"\bdesc-type=1\b", r"\bcontext-cache[^:]*descriptors",
      r"\bcontext invalidation through the (driver's )?queue"]),
    ("descriptor", "IOTLB (2)", "IOTLB invalidate",
     [r"\bdesc-type=2\b", r"(?<!PASID-)\bIOTLB[^:]*descriptors",
      r"\bIOTLB invalidation through the queue", r"\bqueued PSI\b",
      r"\bpage-selective descriptors"]),
    ("descriptor", "device-TLB (3)", "device-TLB invalidate",
     [r"\bdesc-type=3\b", r"(?<!PASID-based )\bdevice-TLB (invalidation )?descriptors?"]),
    ("descriptor", "IEC (4)", "interrupt-entry-cache invalidate",
     [r"\bdesc-type=4\b", r"\binterrupt-entry-cache", r"\bIEC\b"]),
    ("descriptor", "wait (5)", "invalidation wait",
     [r"\bdesc-type=5\b", r"(?<!bounded )\bwaits?\b"]),
    ("descriptor", "PASID-IOTLB (6)", "PASID-based IOTLB invalidate",
     [r"\bdesc-type=6\b", r"\bPASID-IOTLB\b", r"\bPASID-based IOTLB", r"\bPIOTLB\b"]),
    ("descriptor", "PASID-cache (7)", "PASID-cache invalidate",
     [r"\bdesc-type=7\b", r"\bPASID-cache\b"]),
    ("descriptor", "PASID-device-TLB (8)", "PASID-based device-TLB invalidate",
     [r"\bdesc-type=8\b", r"\bPASID-based device-TLB", r"\bPASID-device-TLB"]),
    ("descriptor", "page group response (9)", "page group response",
     [r"\bdesc-type=9\b", r"\bpage group response"]),
    ("descriptor", "reserved types (0, 10-127)", "a type no descriptor has",
     [r"\bdesc-type=(0|[1-9]\d+)\b", r"\binvalid descriptor type"]),

    # Legacy root entry (9.1).
    ("root", "P", "present",
     [r"\broot entry not present", r"\bfault=0x01\b"] + _XLATE),
    ("root", "CTP", "context-table pointer",
     [r"\bCTP\b", r"\bfault=0x09\b", r"\bits own bus, root entry"] + _XLATE),
    ("root", "reserved", "reserved bits",
     [r"\breserved (bit \d+ |bits )?in (a present |the )?root entry", r"\bfault=0x0a\b"]),
    # Legacy context entry (9.3).
    ("context", "P", "present",
     [r"\bcontext entry not present", r"\bfault=0x02\b", r"\bdetach"] + _XLATE),
    ("context", "FPD", "fault processing disable",
     [r"\bFPD\b", r"\bfault processing disabled", r"\bfpd=1\b", r"\bexpect=nofault\b"]),
    ("context", "TT", "translation type",
     [r"\bTT=\d+b\b", r"\btt=devtlb\b", r"\btranslation type", r"\bpass-?through",
      r"\bfault=0x0[3d]\b"] + _XLATE),
    ("context", "SLPTPTR", "second-level page-table pointer",
     [r"\bSLPTPTR\b", r"\btable pointer"] + _XLATE),
    ("context", "AW", "address width",
     [r"\bAW\b", r"\baw=(39|48|57)\b", r"\b[345]-level\b", r"\bfault=0x03\b"] + _XLATE),
    ("context", "AVAIL", "available to software", [r"\bAVAIL\b"]),
    ("context", "DID", "domain id",
     [r"\bDID\b", r"\bdid=", r"\bdomain-selective", r"\bmoved to (another )?domain",
      r"\btwo domains\b", r"\bdomain [a-z]\b"]),
    ("context", "reserved", "reserved bits",
     [r"\breserved (bit \d+ |bits )?in (a present |the )?context entry", r"\bfault=0x0b\b"]),
    # Second-level paging entry (9.8).
    ("sl-pte", "R", "read",
     [r"\bfrom-ram\b", r"\bfault=0x06\b", r"\bread-only\b", r"\bperm=r\b", r"\bDMA read\b",
      r"\bnot-present\b"]),
    ("sl-pte", "W", "write",
     [r"\bto-ram\b", r"\bfault=0x05\b", r"\bread-only\b", r"\bwrite-only\b", r"\bDMA write\b",
      r"\bnot-present\b"]),
    ("sl-pte", "X", "execute", [r"\bexecute permission", r"\bX bit\b"]),
    ("sl-pte", "EMT", "extended memory type", [r"\bEMT\b", r"\bmemory type\b"]),
    ("sl-pte", "IPAT", "ignore PAT", [r"\bIPAT\b"]),
    ("sl-pte", "PS", "page size (leaf at level 2 or 3)", [r"\bPS\b"] + _SLLPS),
    ("sl-pte", "A", "accessed", [r"\baccessed\b", r"\bA/D\b"]),
    ("sl-pte", "D", "dirty", [r"\bdirty\b", r"\bA/D\b"]),
    ("sl-pte", "SNP", "snoop", [r"\bSNP\b", r"\bsnoop\b"]),
    ("sl-pte", "ADDR", "address",
     [r"\bremap", r"\bpointed at other memory", r"\breserved address bits",
      r"\breserved bit \d+ in a (2 MiB|1 GiB) leaf", r"\bpa 0x"] + _XLATE),
    ("sl-pte", "TM", "transient mapping", [r"\bTM\b", r"\btransient"]),
    ("sl-pte", "reserved", "reserved bits",
     [r"\bfault=0x0c\b", r"\breserved [^:\n]*(leaf|level|paging entry|top-level entry|walk)"]),
    # Scalable-mode root entry (9.2).
    ("sm-root", "LP", "lower present", [r"\bLP\b", r"\bfault=0x39\b"]),
    ("sm-root", "LCTP", "lower context-table pointer", [r"\bLCTP\b", r"\bfault=0x38\b"]),
    ("sm-root", "UP", "upper present", [r"\bUP\b"]),
    ("sm-root", "UCTP", "upper context-table pointer", [r"\bUCTP\b"]),
    ("sm-root", "reserved", "reserved bits", [r"\bfault=0x3a\b"]),
    # Scalable-mode context entry (9.4).
    ("sm-context", "P", "present", [r"\bfault=0x41\b"]),
    ("sm-context", "FPD", "fault processing disable", [r"\bscalable-mode context[^:\n]*FPD"]),
    ("sm-context", "DTE", "device-TLB enable", [r"\bDTE\b", r"\bfault=0x44\b"]),
    ("sm-context", "PASIDE", "PASID enable", [r"\bPASIDE\b", r"\bfault=0x45\b"]),
    ("sm-context", "PRE", "page request enable", [r"\bPRE\b", r"\bfault=0x47\b"]),
    ("sm-context", "PDTS", "PASID directory size", [r"\bPDTS\b", r"\bfault=0x46\b"]),
    ("sm-context", "PASIDDIRPTR", "PASID directory pointer",
     [r"\bPASIDDIRPTR\b", r"\bfault=0x50\b"]),
    ("sm-context", "RID_PASID", "PASID of requests without one",
     [r"\bRID_PASID\b", r"\bfault=0x48\b"]),
    ("sm-context", "RID_PRIV", "privilege of requests without PASID", [r"\bRID_PRIV\b"]),
    ("sm-context", "reserved", "reserved bits", [r"\bfault=0x42\b"]),
    # PASID directory entry (9.5).
    ("pasid-dir", "P", "present", [r"\bPASID directory entry not present", r"\bfault=0x51\b"]),
    ("pasid-dir", "FPD", "fault processing disable", [r"\bPASID directory entry[^:\n]*FPD"]),
    ("pasid-dir", "PTP", "PASID-table pointer", [r"\bPASID-table pointer", r"\bfault=0x58\b"]),
    ("pasid-dir", "reserved", "reserved bits", [r"\bfault=0x52\b"]),
    # PASID table entry (9.6).
    ("pasid", "P", "present", [r"\bPASID entry not present", r"\bfault=0x59\b"]),
    ("pasid", "FPD", "fault processing disable", [r"\bPASID entry[^:\n]*FPD"]),
    ("pasid", "AW", "second-stage address width", [r"\bPASID entry[^:\n]*\bAW\b"]),
    ("pasid", "SSEE", "second-stage execute enable", [r"\bSSEE\b", r"\bfault=0x5c\b"]),
    ("pasid", "PGTT", "PASID-granular translation type", [r"\bPGTT\b", r"\bfault=0x5b\b"]),
    ("pasid", "SSADE", "second-stage A/D enable", [r"\bSSADE\b"]),
    ("pasid", "SSPTPTR", "second-stage page-table pointer", [r"\bSSPTPTR\b", r"\bfault=0x7b\b"]),
    ("pasid", "DID", "domain id", [r"\bPASID entry[^:\n]*\bDID\b"]),
    ("pasid", "PWSNP", "page-walk snoop", [r"\bPWSNP\b"]),
    ("pasid", "PGSNP", "page snoop", [r"\bPGSNP\b"]),
    ("pasid", "SRE", "supervisor request enable", [r"\bSRE\b", r"\bfault=0x5d\b"]),
    ("pasid", "FSPM", "first-stage paging mode", [r"\bFSPM\b"]),
    ("pasid", "WPE", "write-protect enable", [r"\bWPE\b"]),
    ("pasid", "EAFE", "extended-accessed flag enable", [r"\bEAFE\b"]),
    ("pasid", "FSPTPTR", "first-stage page-table pointer", [r"\bFSPTPTR\b", r"\bfault=0x73\b"]),
    ("pasid", "reserved", "reserved bits", [r"\bfault=0x5a\b"]),
    # First-stage paging entry (9.9).
    ("fs-pte", "P", "present", [r"\bfirst-stage entry not present", r"\bfault=0x71\b"]),
    ("fs-pte", "R/W", "read/write",
     [r"\bfirst-stage[^:\n]*\b(read-only|R/W)\b", r"\bfault=0x8[56]\b"]),
    ("fs-pte", "U/S", "user/supervisor", [r"\bU/S\b", r"\bfault=0x81\b"]),
    ("fs-pte", "A", "accessed", [r"\bfirst-stage[^:\n]*\baccessed\b"]),
    ("fs-pte", "D", "dirty", [r"\bfirst-stage[^:\n]*\bdirty\b"]),
    ("fs-pte", "PS", "page size", [r"\bfirst-stage[^:\n]*\b(PS|1 GiB|2 MiB)\b"]),
    ("fs-pte", "XD", "execute disable", [r"\bXD\b"]),
    ("fs-pte", "reserved", "reserved bits", [r"\bfault=0x72\b"]),
    # Interrupt remapping table entry (9.10).
    ("irte", "P", "present", [r"\bIRTE not present", r"\bfault=0x22\b"]),
    ("irte", "FPD", "fault processing disable", [r"\bIRTE[^:\n]*\bFPD\b"]),
    ("irte", "DM", "destination mode", [r"\bIRTE[^:\n]*\bDM\b"]),
    ("irte", "RH", "redirection hint", [r"\bIRTE[^:\n]*\bRH\b"]),
    ("irte", "TM", "trigger mode", [r"\bIRTE[^:\n]*\bTM\b"]),
    ("irte", "DLM", "delivery mode", [r"\bDLM\b"]),
    ("irte", "IM", "posted (IM=1) or remapped", [r"\bIRTE[^:\n]*\bIM\b", r"\bposted\b"]),
    ("irte", "V", "vector", [r"\bIRTE[^:\n]*\bvector\b"]),
    ("irte", "DST", "destination", [r"\bIRTE[^:\n]*\bDST\b"]),
    ("irte", "SID/SQ/SVT", "source validation", [r"\bSVT\b", r"\bfault=0x26\b"]),
    ("irte", "reserved", "reserved bits", [r"\bfault=0x24\b"]),
]

GROUPS = ("register", "CAP", "ECAP", "descriptor", "fault", "root", "context",
          "sl-pte", "sm-root", "sm-context", "pasid-dir", "pasid", "fs-pte", "irte")
GROUP_TITLES = {
    "register": "Registers",
    "CAP": "CAP fields",
    "ECAP": "ECAP fields",
    "descriptor": "Invalidation descriptor types",
    "fault": "Fault reasons",
    "root": "Root entry (legacy)",
    "context": "Context entry (legacy)",
    "sl-pte": "Second-level paging entry",
    "sm-root": "Scalable-mode root entry",
    "sm-context": "Scalable-mode context entry",
    "pasid-dir": "PASID directory entry",
    "pasid": "PASID table entry",
    "fs-pte": "First-stage paging entry",
    "irte": "Interrupt remapping table entry",
}


class Item:
    def __init__(self, group, name, what, patterns):
        self.group = group
        self.name = name
        self.what = what
        self.patterns = [re.compile(p) for p in patterns]
        # Per pattern, strings one of which every match holds (empty: no
        # such hint): a pattern runs only on texts holding one of them.
        self.hints = [required_literals(p) for p in patterns]

    @property
    def key(self):
        if self.group in ("CAP", "ECAP"):
            return "%s.%s" % (self.group, self.name)
        if self.group in ("register", "descriptor", "fault"):
            return "%s %s" % (self.group, self.name)
        return "%s.%s" % (self.group, self.name)

    def matches(self, text):
        """Whether a pattern matches text (no hints used: the reference)."""
        return any(p.search(text) for p in self.patterns)


_META = "()[]?*{}+.^$|"


def _scan(pattern):
    """(literal runs at depth 0 that every match holds, literal
    alternatives of the first plain group "(a|b)" at depth 0 that is not
    optional, or None)."""
    runs, cur = [], ""
    alts = None
    depth = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            i += 2
            if depth == 0 and not (nxt.isalnum() or nxt == "_"):
                cur += nxt
            else:
                runs.append(cur)
                cur = ""
            continue
        if ch in "?*{":
            cur = cur[:-1]          # the character before may be absent
        if depth == 0 and ch not in _META:
            cur += ch
            i += 1
            continue
        runs.append(cur)
        cur = ""
        if ch == "[":
            i = pattern.index("]", i + 2) + 1
            continue
        if ch == "(" and depth == 0 and alts is None:
            end = pattern.find(")", i)
            body = pattern[i + 1:end]
            optional = pattern[end + 1:end + 2] in ("?", "*", "{")
            if end > 0 and not optional and not any(c in body for c in _META[:-1] + "\\"):
                alts = tuple(body.split("|"))
        depth += {"(": 1, ")": -1}.get(ch, 0)
        i += 1
    runs.append(cur)
    return runs, alts


def _top_level_alternation(pattern):
    depth = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = pattern.index("]", i + 2) + 1
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "|" and depth == 0:
            return True
        i += 1
    return False


def required_literals(pattern):
    """Strings one of which every match of pattern holds: its longest plain
    run of characters (outside groups, classes and optional parts), or the
    alternatives of its first plain group when that run is short; () when
    nothing is sure."""
    if _top_level_alternation(pattern):
        return ()
    runs, alts = _scan(pattern)
    best = max(runs, key=len)
    if len(best) >= 3 or not alts:
        return (best,) if best else ()
    if min(len(a) for a in alts) >= len(best):
        return alts
    return (best,) if best else ()


# ------------------------------------------------ names the sources declare

def _source(rel):
    with open(os.path.join(TOP, rel), encoding="utf-8") as f:
        return f.read()


def fault_reasons():
    """[(code, name)] of vtd/fault.c's table, 0x00 (reserved) left out."""
    text = _source("vtd/fault.c")
    pairs = [(int(c, 16), n) for c, n in
             re.findall(r'\{\s*(0x[0-9A-Fa-f]+),\s*"([^"]+)"\s*\}', text)]
    if not pairs:
        raise RuntimeError("vtd/fault.c: no fault reason table found")
    return [(c, n) for c, n in pairs if c != 0]


def fault_words():
    """{scenario word: code} of the scenario language (engine/parse.c)."""
    text = _source("engine/parse.c")
    m = re.search(r"\}\s*reasons\[\]\s*=\s*\{(.*?)\};", text, re.S)
    words = dict((w, int(c, 16)) for w, c in
                 re.findall(r'\{\s*"([a-z-]+)",\s*(0x[0-9A-Fa-f]+)\s*\}', m.group(1) if m else ""))
    if not words:
        raise RuntimeError("engine/parse.c: no fault reason words found")
    return words


def regs_fields(prefix):
    """Field names vtd/regs.h declares under CAP or ECAP (reserved masks
    left out), for the consistency test of RULES."""
    text = _source("vtd/regs.h")
    names = re.findall(r"#define\s+VTD_%s_([A-Z0-9_]+)\s" % prefix, text)
    return [n for n in names if not n.startswith("RSVD")]


def items():
    out = [Item(*r) for r in RULES]
    faults = [Item("fault", "0x%02x" % c, n, [r"\bfault=0x%02x\b" % c])
              for c, n in fault_reasons()]
    at = next(i for i, it in enumerate(out) if it.group not in ("register", "CAP", "ECAP",
                                                              "descriptor"))
    return out[:at] + faults + out[at:]


# -------------------------------------------------------- derived words

_STMT_RE = re.compile(r"^scenarios: [^:]+: line \d+: (.*)$")
_QW0_RE = re.compile(r"\bqi raw qw0=(\S+)")
_FAULT_WORD_RE = re.compile(r"\bexpect=fault:(\S+)")
_REASON_RE = re.compile(r"\b(?:reason|fault) (0x[0-9a-fA-F]+)\b")
_CTYPE_RE = re.compile(r"^vtd-qi: type (\d+):")
_DMA_OK_RE = re.compile(r"^dma(-wait)? edu\d.*\bexpect=(ok|nofault)\b")
_C_DMA_RE = re.compile(r"\b(data arrives|arrive intact|bytes through IOVA 0x[0-9a-f]+ arrive|"
                       r"translated DMA: no fault)")
_UNTRANSLATED_RE = re.compile(r"\bTE off\b|\bpass-?through\b|\buntranslated\b")
_NUM_RE = re.compile(r"^(0x[0-9a-fA-F_]+|0b[01_]+|[0-9_]+)([KMGT]?)$")


def _number(term):
    if term.startswith("bit") and term[3:].isdigit():
        return 1 << int(term[3:])
    m = _NUM_RE.match(term)
    if not m:
        return None
    digits = m.group(1).replace("_", "")
    base = 16 if digits.startswith("0x") else 2 if digits.startswith("0b") else 10
    v = int(digits[2:] if base != 10 else digits, base)
    return v << (10 * "_KMGT".index(m.group(2))) if m.group(2) else v


def _sum(expr):
    total = 0
    for term in expr.split("+"):
        v = _number(term)
        if v is None:
            return None
        total += v
    return total


def _inv_words(stmt, run_inv):
    words = stmt.split()
    if len(words) < 2 or words[0] != "inv":
        return []
    kind = words[1]
    if kind == "devtlb":
        return ["interface=qi", "desc-type=3"]
    keys = dict(w.split("=", 1) for w in words[2:] if "=" in w)
    if keys.get("expect") == "refused":
        return []
    via = keys.get("via")
    if via is None:
        if "gran" in keys and "expect" not in keys:
            via = "reg"
        elif "expect" in keys and "gran" not in keys:
            via = "qi"
        else:
            via = run_inv
    out = ["interface=%s" % via]
    if via == "qi":
        out.append("desc-type=%d" % {"cc": 1, "iotlb": 2}.get(kind, 0))
    else:
        out.append("reg-%s" % kind)
        if kind == "iotlb" and len(words) > 2 and words[2] == "page":
            out.append("reg-iotlb-page")
    return out


def derived(description, context, run_inv, words):
    """The derived words of one check (see the module's comment)."""
    out = []
    m = _STMT_RE.match(description)
    stmt = m.group(1) if m else ""
    if stmt:
        q = _QW0_RE.search(stmt)
        if q:
            v = _sum(q.group(1))
            if v is not None:
                out.append("desc-type=%d" % ((v & 0xF) | ((v >> 9) & 0x7) << 4))
        if stmt.startswith("qi wait"):
            out.append("desc-type=5")
        out += _inv_words(stmt, run_inv)
        f = _FAULT_WORD_RE.search(stmt)
        if f:
            code = words.get(f.group(1))
            if code is None:
                code = _number(f.group(1))
            if code is not None:
                out.append("fault=0x%02x" % code)
        if _DMA_OK_RE.match(stmt) and not _UNTRANSLATED_RE.search(context or ""):
            out.append("xlate-dma")
    else:
        t = _CTYPE_RE.match(description)
        if t:
            out.append("desc-type=%s" % t.group(1))
        if _C_DMA_RE.search(description) and not _UNTRANSLATED_RE.search(description):
            out.append("xlate-dma")
    for r in _REASON_RE.findall(description):
        out.append("fault=0x%02x" % int(r, 16))
    return out


# ---------------------------------------------------------------- counting

def check_text(description, context, inv, words, skip_reason=None):
    """The text the rules read for one check (a skipped check's reason
    names what it requires)."""
    return "\n".join((description, context or "",
                      " ".join(derived(description, context, inv, words)),
                      skip_reason or ""))


_INV_RE = re.compile(r"(?:^|[\s'])inv=(reg|qi)\b")


def run_inv(run):
    """The run's default invalidation interface (the inv= word it booted with)."""
    m = _INV_RE.search(run.cmdline)
    return m.group(1) if m else "reg"


class Coverage:
    """Checks per item per target (ran, skipped)."""

    def __init__(self, targets):
        self.targets = targets
        self.items = items()
        # Patterns by hint string, and those with none (run on every text).
        self._always = []
        by_hint = {}
        for i, it in enumerate(self.items):
            for p, hints in zip(it.patterns, it.hints):
                if not hints:
                    self._always.append((i, p))
                for h in hints:
                    by_hint.setdefault(h, []).append((i, p))
        self._by_hint = list(by_hint.items())
        words = fault_words()
        self.ran = {t.name: [0] * len(self.items) for t in targets}
        self.skipped = {t.name: [0] * len(self.items) for t in targets}
        self.checks = {t.name: 0 for t in targets}
        cache = {}
        for t in targets:
            # The same check text recurs across runs: match each once.
            seen = collections.Counter()
            for r in t.runs:
                inv = run_inv(r)
                for c, ctx, o in zip(r.checks, r.contexts, r.outcomes):
                    skip = (c.explanation or "") if o == "skip" else None
                    seen[(c.description, ctx, inv, skip)] += 1
            for key, n in seen.items():
                hit = cache.get(key)
                if hit is None:
                    hit = cache[key] = self._match(*key, words)
                skip = key[3] is not None
                into = self.skipped[t.name] if skip else self.ran[t.name]
                if not skip:
                    self.checks[t.name] += n
                for i in hit:
                    into[i] += n

    def _match(self, description, context, inv, skip_reason, words):
        text = check_text(description, context, inv, words, skip_reason)
        hit = set()
        for i, p in self._always:
            if i not in hit and p.search(text):
                hit.add(i)
        for hint, pats in self._by_hint:
            if hint in text:
                for i, p in pats:
                    if i not in hit and p.search(text):
                        hit.add(i)
        return tuple(sorted(hit))

    def touched(self, target, i):
        return self.ran[target][i] > 0

    def rank(self, i):
        """0: no target's checks touch item i; 1: some targets' do; 2: all."""
        n = sum(1 for t in self.targets if self.touched(t.name, i))
        return 0 if n == 0 else 1 if n < len(self.targets) else 2

    def order(self):
        """Item indices: untouched on every target first, then touched on
        some only, then the rest; the table's order within each."""
        return sorted(range(len(self.items)), key=lambda i: (self.rank(i), i))

    def summary(self):
        """{target: (touched, untouched)}."""
        out = {}
        for t in self.targets:
            n = sum(1 for i in range(len(self.items)) if self.touched(t.name, i))
            out[t.name] = (n, len(self.items) - n)
        return out

    # ------------------------------------------------------------ output

    def to_json(self):
        doc = {
            "method": METHOD,
            "targets": [{"name": t.name, "version": t.version, "path": t.path,
                         "runs": len(t.runs), "checks_ran": self.checks[t.name],
                         "items_touched": self.summary()[t.name][0],
                         "items_untouched": self.summary()[t.name][1]}
                        for t in self.targets],
            "items": [],
        }
        for i in self.order():
            it = self.items[i]
            doc["items"].append({
                "group": it.group, "item": it.name, "key": it.key, "what": it.what,
                "checks": {t.name: self.ran[t.name][i] for t in self.targets},
                "skipped": {t.name: self.skipped[t.name][i] for t in self.targets},
            })
        return json.dumps(doc, indent=1) + "\n"

    def to_markdown(self):
        names = [t.name for t in self.targets]
        out = ["# Coverage of the VT-d architecture by the checks", ""]
        out += METHOD_MD.splitlines()
        out += ["", "## Summary", "",
                "| target | runs | checks that ran | items touched | untouched |",
                "|---|---|---|---|---|"]
        summ = self.summary()
        for t in self.targets:
            label = t.name + (" (QEMU %s)" % t.version if t.version else "")
            out.append("| %s | %d | %d | %d | %d |" % (label, len(t.runs), self.checks[t.name],
                                                    summ[t.name][0], summ[t.name][1]))
        out += ["", "Items touched per group (%s):" % " / ".join(names), "",
                "| group | items | %s |" % " | ".join(names),
                "|---|---|" + "---|" * len(names)]
        for g in GROUPS:
            idx = [i for i, it in enumerate(self.items) if it.group == g]
            cells = [str(sum(1 for i in idx if self.touched(n, i))) for n in names]
            out.append("| %s | %d | %s |" % (GROUP_TITLES[g], len(idx), " | ".join(cells)))
        sections = (("Untouched on every target", 0), ("Touched on some targets only", 1),
                    ("Touched on every target", 2))
        order = self.order()
        for title, rank in sections:
            rows = [i for i in order if self.rank(i) == rank]
            out += ["", "## %s (%d)" % (title, len(rows)), ""]
            if not rows:
                out.append("None.")
                continue
            out += ["| item | what | %s |" % " | ".join(names),
                    "|---|---|" + "---|" * len(names)]
            for i in rows:
                it = self.items[i]
                cells = []
                for n in names:
                    cell = str(self.ran[n][i])
                    if self.skipped[n][i]:
                        cell += " (+%d skipped)" % self.skipped[n][i]
                    cells.append(cell)
                out.append("| %s | %s | %s |" % (it.key, it.what.replace("|", "/"),
                                                 " | ".join(cells)))
        return "\n".join(out) + "\n"


METHOD = (__doc__.split("\n\n", 1)[1]).strip()

METHOD_MD = """\
How an item counts: a check exercises an item when the check's observable
text says so: its name (a C check's message, or a scenario statement as
written), the title of the scenario it ran in (the serial log's
`# scenario` line), for a skipped check the reason it gives, and words
derived from the statement: the descriptor type of a `qi raw qw0=...` or
of an `inv` issued through the queue (`desc-type=N`), the fault reason of
`expect=fault:WORD` or of a C check's `reason 0xN` (`fault=0xNN`), the
interface of an `inv` statement (its `via=`, else `gran=` alone for the
registers or `expect=` alone for the queue, else the run's `inv=` word),
and `xlate-dma` for a DMA expected to complete through translation. Each
item has regular expressions over that text in one table (`RULES` in
`run/vtdrunner/coverage.py`); the fault reasons are `vtd/fault.c`'s table.
The numbers are checks that ran, per target, every run of the result
directory counted (the same check in ten configurations counts ten
times); skipped checks are in parentheses.

Limits: this reads what the checks say, not what the unit did. Rules
that stand for a side effect count broadly: every DMA with an expectation
reads FSTS, every queued descriptor moves IQT, every DMA that completes
through translation walks the root, context and page-table entries; a
register a check touches without any such rule or its name is not
counted. A scenario's `set via=` and its raw `pte`/`ctx`/`root` edits are
not in its checks' names (only its title and statements are), and a C
check is known by its message alone. A touched item is covered by name,
not necessarily in depth; an untouched one is a gap, or a check whose
words no rule knows."""


def write(targets, directory):
    """coverage.md and coverage.json in directory; the Coverage."""
    cov = Coverage(targets)
    os.makedirs(directory, exist_ok=True)
    for name, text in (("coverage.md", cov.to_markdown()), ("coverage.json", cov.to_json())):
        tmp = os.path.join(directory, name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, os.path.join(directory, name))
    return cov


def load_and_write(paths, directory):
    return write(results.load(paths), directory)

# SPDX-License-Identifier: GPL-2.0-or-later
# run/: the runner (run/vtdrun) and its tables.
#
#   run/vtdrun --group default         what `make run` boots
#   run/vtdrun --tap                   every guest run of the test table, as
#                                      TAP (run/guest.t wraps it for prove)
#
# The runner's own tests need no firmware: a stand-in QEMU plays each verdict.
CHECK_SCRIPTS += tests/run/runner.t
# The hosted model's side of the runner (model table, batches, the
# check-by-check comparison), on synthetic streams.
CHECK_SCRIPTS += tests/run/compare.t
# QEMU versions: the property probe, configurations in each QEMU's words,
# version-bounded expectations, result directories compared, the set-up
# step's decisions (a stand-in QEMU and shell: no network).
CHECK_SCRIPTS += tests/run/qemus.t
# The HTML report and the coverage report, on synthetic result directories
# of two QEMUs and the model.
CHECK_SCRIPTS += tests/run/report.t

# The C layout (.clang-format, clang-format 14): `make format` rewrites
# every C file of the tree that differs; make check fails on one that
# differs, naming it (a second or two, no build).
.PHONY: format
format:
	$(Q)run/format
CHECK_SCRIPTS += tests/run/format.t

# The HTML report of every target in build/results, with coverage.md and
# coverage.json beside it.
.PHONY: report
report:
	$(Q)run/vtdreport $(B)/results

# A picture of that report, build/results/report.png (headless Chromium,
# installed by run/report-screenshot when missing; not part of make check).
.PHONY: report-screenshot
report-screenshot: report
	$(Q)run/report-screenshot $(B)/results/report.html $(B)/results/report.png

# Served devices: the servers and memory_backend keys, the records of
# DMA_MAP/DMA_UNMAP against the invariants, whole runs with vfu-edu and
# the stand-in QEMU.
CHECK_SCRIPTS += tests/run/assigned.t

# DMA cost per waiting strategy (medians of repeated boots).
.PHONY: bench-dma
bench-dma: $(B)/vtdprobe.elf
	$(Q)run/bench-dma
BENCHES += bench-dma

# Wall time of the whole test table (medians of repeated runs).
.PHONY: bench-matrix
bench-matrix: $(B)/vtdprobe.elf
	$(Q)run/bench-matrix -r 3
BENCHES += bench-matrix

# QEMU's replay into a served device's shadow, for domains of 10^3, 10^4
# and 10^5 mappings (needs QEMU 11.1: vfio-user-pci).
.PHONY: bench-replay
bench-replay: $(B)/vtdprobe.elf vfu-edu
	$(Q)run/bench-replay
BENCHES += bench-replay

# Differential fuzzing of QEMU's intel-iommu against the model: generated
# scenario scripts, the model's two cache policies as the oracle, findings
# reduced and saved under build/fuzz-qemu/findings/FLAVOUR/ (README.md, "Fuzzing
# QEMU"). QEMU= a name of `run/vtdrun --list-qemus` or a command (default:
# the system's); SECONDS= how long (default 600); FLAVOUR= configurations
# whose IOMMU the machine takes, or all (default: default). Not part of
# make check.
.PHONY: fuzz-qemu
fuzz-qemu: $(B)/vtdprobe.elf $(VTDHOST_BENCH)
	$(Q)run/fuzz-qemu --qemu '$(or $(QEMU),system)' \
	    --flavour '$(or $(FLAVOUR),default)' \
	    --seconds $(if $(filter-out 0,$(SECONDS)),$(SECONDS),600) \
	    --vtdhost $(VTDHOST_BENCH) --out $(B)/fuzz-qemu
# Its smoke: generated scripts on the model, one fixed seed on QEMU 7.2
# (no finding run/fuzz-divergences.cfg does not know).
CHECK_SCRIPTS += tests/run/fuzz-qemu.t

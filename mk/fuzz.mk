# SPDX-License-Identifier: MIT
# libFuzzer harnesses (docs/testing.md, "Fuzzing"). A harness is
# tests/fuzz/<name>.c defining LLVMFuzzerTestOneInput, plus tests/fuzz/<name>.mk
# setting FUZZ_SRCS_<name> (the hypervisor sources it links, and any fake
# environment they need) and optionally FUZZ_LDLIBS_<name>. Each is found by
# its .mk, built with clang into $(BUILD)/fuzz/<name>, replayed and smoked by
# tests/run, and run for FUZZ_SECONDS by `make fuzz`.

FUZZ_CC      := clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_OBJDIR  := $(FUZZ_DIR)/obj
FUZZ_SECONDS ?= 600

FUZZ_MKS   := $(sort $(wildcard tests/fuzz/*.mk))
FUZZ_NAMES := $(patsubst tests/fuzz/%.mk,%,$(FUZZ_MKS))
include $(FUZZ_MKS)

# The unit tests' host environment (-DHOST_TEST, the real sources against
# the host libc), with clang's coverage for libFuzzer. UBSan must not
# recover: a report that only prints would never reach libFuzzer.
FUZZ_SAN    := address,undefined
FUZZ_CFLAGS := -std=gnu11 -O1 -g $(WARNINGS) $(XEN_ABI) -DHOST_TEST -iquote hypervisor -I. \
               -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -fno-sanitize-recover=all \
               -fno-omit-frame-pointer
FUZZ_BINS   := $(patsubst %,$(FUZZ_DIR)/%,$(FUZZ_NAMES))

$(FUZZ_OBJDIR)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

fuzz_objs = $(patsubst %.c,$(FUZZ_OBJDIR)/%.o,tests/fuzz/$(1).c $(FUZZ_SRCS_$(1)))

define fuzz_harness
$(FUZZ_DIR)/$(1): $(call fuzz_objs,$(1)) | deps
	$(FUZZ_CC) -fsanitize=fuzzer,$(FUZZ_SAN) -o $$@ $(call fuzz_objs,$(1)) $(FUZZ_LDLIBS_$(1))
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call fuzz_harness,$(n))))

.PHONY: fuzz fuzz-build fuzz-seeds fuzz-hypercalls
fuzz-build: $(FUZZ_BINS)

# Each harness for FUZZ_SECONDS, one after the other (the machine has two
# cores); what they find is merged into tests/fuzz/corpus/<name>/. Then
# the hypercall fuzzer guest at soak length.
fuzz: $(FUZZ_BINS)
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/fuzz.sh $(FUZZ_NAMES)
	@$(MAKE) --no-print-directory fuzz-hypercalls

# The hypercall fuzzer guest (tests/adversarial/hcall-fuzz/hcall-fuzz.sh): `make test` runs
# 10^5 calls of seed 1; this runs HCFUZZ_CALLS of each seed in
# HCFUZZ_SEEDS, on Xenolith beside its victim and on Xen 4.17 alone.
HCFUZZ_CALLS ?= 10000000
HCFUZZ_SEEDS ?= 2
fuzz-hypercalls: all $(CONFORMANCE_ELFS) | deps
	@bad=0; for s in $(HCFUZZ_SEEDS); do \
	    BUILD=$(BUILD) SEED=$$s CALLS=$(HCFUZZ_CALLS) TAG=hcall-fuzz-seed$$s ALLOW_SELF_END=1 \
	        bash tests/adversarial/hcall-fuzz/hcall-fuzz.sh || bad=$$((bad + 1)); \
	done; [ $$bad -eq 0 ]

# Adds the real inputs (images, instructions, unit-test cases) that bring
# new coverage to the corpus, as seed-* files (tests/fuzz/seeds.sh).
fuzz-seeds: all $(UNIT_TEST_BIN) $(CONFORMANCE_ELFS) $(FUZZ_BINS)
	@BUILD=$(BUILD) bash tests/fuzz/seeds.sh

-include $(patsubst %.o,%.d,$(sort $(foreach n,$(FUZZ_NAMES),$(call fuzz_objs,$(n)))))

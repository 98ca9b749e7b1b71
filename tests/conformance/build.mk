# SPDX-License-Identifier: MIT
# Test guests: conformance tests (tests/conformance/<t>/), adversarial
# guests (tests/adversarial/<t>/) and multi-guest scenario guests
# (tests/multi/<t>/, Xenolith only), each a directory with a test.info
# (name, category, environments for a conformance test, the scenarios that
# run it, kept beside it, the guests they boot, a summary) whose .c and .S files are linked with
# the library every test guest links (tests/guest-lib/) into
# $(BUILD)/conformance/<t>.elf, $(BUILD)/adversarial/<t>.elf or
# $(BUILD)/multi/<t>.elf. A new test is a directory with its test.info:
# found by wildcard.

tests_of = $(sort $(patsubst tests/$(1)/%/test.info,%,$(wildcard tests/$(1)/*/test.info)))
CONFORMANCE_TESTS  := $(call tests_of,conformance)
ADVERSARIAL_GUESTS := $(call tests_of,adversarial)
MULTI_GUESTS       := $(call tests_of,multi)

TESTGUEST_DIR    := $(BUILD)/testguest
TESTGUEST_LDS    := $(TESTGUEST_DIR)/guest.ld
TESTGUEST_CFLAGS := $(GUEST_CFLAGS)

# The hypercall page is the guest side's own (vmi/), not a copy.
TESTGUEST_COMMON := $(filter-out %.ld.S,$(sort $(wildcard tests/guest-lib/*.c \
                    tests/guest-lib/*.S))) vmi/hypercall_page.S

testguest_objs = $(patsubst %,$(TESTGUEST_DIR)/%.o,$(TESTGUEST_COMMON) \
                 $(sort $(wildcard $(1)/*.c $(1)/*.S)))

# Everything `make test` needs; the top Makefile's test target depends on it.
CONFORMANCE_ELFS := $(patsubst %,$(BUILD)/conformance/%.elf,$(CONFORMANCE_TESTS)) \
                    $(patsubst %,$(BUILD)/adversarial/%.elf,$(ADVERSARIAL_GUESTS)) \
                    $(patsubst %,$(BUILD)/multi/%.elf,$(MULTI_GUESTS))

$(TESTGUEST_DIR)/%.c.o: %.c | deps $(XEN_INCLUDE)/xen $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(TESTGUEST_CFLAGS) -MMD -MP -c $< -o $@

$(TESTGUEST_DIR)/%.S.o: %.S | deps $(XEN_INCLUDE)/xen $(NEWLIB_STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(TESTGUEST_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

$(TESTGUEST_LDS): tests/guest-lib/guest.ld.S tests/guest-lib/layout.h
	@mkdir -p $(dir $@)
	$(CC) -E -P -x c -D__ASSEMBLY__ -I. $< -o $@

# $(1) the image, $(2) the test's directory. Linked to a temporary name
# first so a failed SSE check leaves no image.
define testguest_link
$(1): $(call testguest_objs,$(2)) $(TESTGUEST_LDS) $(NEWLIB_STAMP) mk/check-no-sse.sh
	@mkdir -p $$(dir $$@)
	$$(LD) $$(GUEST_LDFLAGS) --gc-sections -T $$(TESTGUEST_LDS) -Map $$@.map -o $$@.tmp \
	    $(call testguest_objs,$(2)) $$(NEWLIB_PREFIX)/lib/libc.a
	sh mk/check-no-sse.sh $$@.tmp
	mv $$@.tmp $$@
endef

$(foreach t,$(CONFORMANCE_TESTS),$(eval $(call testguest_link,$(BUILD)/conformance/$(t).elf,tests/conformance/$(t))))
$(foreach t,$(ADVERSARIAL_GUESTS),$(eval $(call testguest_link,$(BUILD)/adversarial/$(t).elf,tests/adversarial/$(t))))
$(foreach t,$(MULTI_GUESTS),$(eval $(call testguest_link,$(BUILD)/multi/$(t).elf,tests/multi/$(t))))

.PHONY: conformance
conformance: $(CONFORMANCE_ELFS)

-include $(patsubst %.o,%.d,$(sort $(foreach t,$(CONFORMANCE_TESTS),$(call testguest_objs,tests/conformance/$(t))) \
    $(foreach t,$(ADVERSARIAL_GUESTS),$(call testguest_objs,tests/adversarial/$(t))) \
    $(foreach t,$(MULTI_GUESTS),$(call testguest_objs,tests/multi/$(t)))))

# SPDX-License-Identifier: MIT
# Benchmark guests (bench/<name>/), built like the test guests and run on
# Xenolith and Xen 4.17 by bench/run (`make bench`), which also runs the
# preemption test's guests for their timer-lateness figures.

BENCH_GUESTS := hotpaths
BENCH_ELFS   := $(patsubst %,$(BUILD)/bench/%.elf,$(BENCH_GUESTS))

$(foreach t,$(BENCH_GUESTS),$(eval $(call testguest_link,$(BUILD)/bench/$(t).elf,bench/$(t))))

.PHONY: bench
bench: all $(BENCH_ELFS) $(BUILD)/adversarial/preempt-attacker.elf $(BUILD)/multi/latency-victim.elf | deps
	@bench/run

-include $(patsubst %.o,%.d,$(foreach t,$(BENCH_GUESTS),$(call testguest_objs,bench/$(t))))

# SPDX-License-Identifier: MIT
# Benchmark guests (bench/<name>/), built like the test guests and run on
# Xenolith and Xen 4.17 by bench/run (`make bench`).

BENCH_GUESTS := hotpaths
BENCH_ELFS   := $(patsubst %,$(BUILD)/bench/%.elf,$(BENCH_GUESTS))

$(foreach t,$(BENCH_GUESTS),$(eval $(call testguest_link,$(BUILD)/bench/$(t).elf,bench/$(t))))

.PHONY: bench
bench: all $(BENCH_ELFS) | deps
	@bench/run

-include $(patsubst %.o,%.d,$(foreach t,$(BENCH_GUESTS),$(call testguest_objs,bench/$(t))))

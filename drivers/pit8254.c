// SPDX-License-Identifier: MIT
// 8254 PIT: channel 0 periodic, channel 2 one-shot for calibration.
#include "pit8254.h"

enum {
    PIT_CH0 = 0x40,
    PIT_CH2 = 0x42,
    PIT_MODE = 0x43,
    PORT_B = 0x61, /* bit 0: ch2 gate, 1: speaker, 5: ch2 out */
    PORT_B_GATE2 = 0x01,
    PORT_B_SPEAKER = 0x02,
    PORT_B_OUT2 = 0x20,
    MODE_CH0_LOHI_RATE = 0x34,    /* channel 0, lobyte/hibyte, mode 2 */
    MODE_CH0_LOHI_ONESHOT = 0x30, /* channel 0, lobyte/hibyte, mode 0 */
    MODE_CH2_LOHI_ONESHOT = 0xb0, /* channel 2, lobyte/hibyte, mode 0 */
};

void pit8254_set_periodic(const struct port_io *io, unsigned int hz)
{
    unsigned int div = hz ? (PIT8254_HZ + hz / 2) / hz : 0;

    if (div == 0 || div > 0xffff)
        div = 0xffff;
    io->outb(PIT_MODE, MODE_CH0_LOHI_RATE);
    io->outb(PIT_CH0, (uint8_t)div);
    io->outb(PIT_CH0, (uint8_t)(div >> 8));
}

/* Mode 0 waits for a count before it starts: writing only the mode stops it. */
void pit8254_stop(const struct port_io *io)
{
    io->outb(PIT_MODE, MODE_CH0_LOHI_ONESHOT);
}

void pit8254_interval_start(const struct port_io *io, uint16_t ticks)
{
    uint8_t b = io->inb(PORT_B);

    /* Gate low while programming, so counting starts at the rising edge. */
    io->outb(PORT_B, (uint8_t)(b & ~(PORT_B_GATE2 | PORT_B_SPEAKER)));
    io->outb(PIT_MODE, MODE_CH2_LOHI_ONESHOT);
    io->outb(PIT_CH2, (uint8_t)ticks);
    io->outb(PIT_CH2, (uint8_t)(ticks >> 8));
    io->outb(PORT_B, (uint8_t)((b & ~PORT_B_SPEAKER) | PORT_B_GATE2));
}

int pit8254_interval_done(const struct port_io *io)
{
    return (io->inb(PORT_B) & PORT_B_OUT2) != 0;
}

// SPDX-License-Identifier: MIT
// 8259A PIC pair: the ICW1-4 remap sequence, OCW1 masks, OCW2 EOI, OCW3 ISR.
#include "pic8259.h"

enum {
    PIC1_CMD = 0x20,
    PIC1_DATA = 0x21,
    PIC2_CMD = 0xa0,
    PIC2_DATA = 0xa1,
    ICW1_INIT_ICW4 = 0x11,
    ICW4_8086 = 0x01,
    CASCADE_IRQ = 2,
    OCW2_EOI = 0x20,
    OCW3_READ_ISR = 0x0b,
};

void pic8259_init(const struct port_io *io, uint8_t vector_base)
{
    io->outb(PIC1_DATA, 0xff);
    io->outb(PIC2_DATA, 0xff);
    io->outb(PIC1_CMD, ICW1_INIT_ICW4);
    io->outb(PIC2_CMD, ICW1_INIT_ICW4);
    io->outb(PIC1_DATA, vector_base);
    io->outb(PIC2_DATA, (uint8_t)(vector_base + 8));
    io->outb(PIC1_DATA, 1 << CASCADE_IRQ); /* master: slave on line 2 */
    io->outb(PIC2_DATA, CASCADE_IRQ);      /* slave: its cascade id */
    io->outb(PIC1_DATA, ICW4_8086);
    io->outb(PIC2_DATA, ICW4_8086);
    /* Everything masked but the cascade, so unmasking a slave line works. */
    io->outb(PIC1_DATA, (uint8_t) ~(1 << CASCADE_IRQ));
    io->outb(PIC2_DATA, 0xff);
}

static uint16_t data_port(unsigned int irq)
{
    return irq < 8 ? PIC1_DATA : PIC2_DATA;
}

void pic8259_mask(const struct port_io *io, unsigned int irq)
{
    if (irq < PIC8259_LINES)
        io->outb(data_port(irq), io->inb(data_port(irq)) | (uint8_t)(1 << (irq & 7)));
}

void pic8259_unmask(const struct port_io *io, unsigned int irq)
{
    if (irq < PIC8259_LINES)
        io->outb(data_port(irq), io->inb(data_port(irq)) & (uint8_t) ~(1 << (irq & 7)));
}

int pic8259_in_service(const struct port_io *io, unsigned int irq)
{
    uint16_t cmd = irq < 8 ? PIC1_CMD : PIC2_CMD;

    io->outb(cmd, OCW3_READ_ISR);
    return (io->inb(cmd) >> (irq & 7)) & 1;
}

/* A slave line needs the EOI on both chips: the master saw it as line 2. */
void pic8259_eoi(const struct port_io *io, unsigned int irq)
{
    if (irq >= 8)
        io->outb(PIC2_CMD, OCW2_EOI);
    io->outb(PIC1_CMD, OCW2_EOI);
}

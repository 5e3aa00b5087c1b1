/** A fanout handler for tests: counts UDP frames per source port (the flow key of the test traffic). */
import type { PacketView } from '../../src/packet.js';
import type { WorkerHandlerFactory } from '../../src/capture/workers.js';

const factory: WorkerHandlerFactory<Record<number, number>> = () => {
  const perFlow: Record<number, number> = {};
  return {
    packet(p: PacketView): void {
      const b = p.buf;
      const o = p.offset;
      // Ethernet (14) + IPv4 without options (20): UDP source port.
      if (p.capLen < 42 || b[o + 12] !== 0x08 || b[o + 13] !== 0x00 || b[o + 23] !== 17) return;
      const sport = ((b[o + 34] ?? 0) << 8) | (b[o + 35] ?? 0);
      perFlow[sport] = (perFlow[sport] ?? 0) + 1;
    },
    finish: () => perFlow,
  };
};
export default factory;

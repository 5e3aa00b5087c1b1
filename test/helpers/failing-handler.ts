/** A fanout handler for tests: worker 1 fails on its first packet; the others count packets. */
import type { WorkerHandlerFactory } from '../../src/capture/workers.js';

const factory: WorkerHandlerFactory<number> = (ctx) => {
  let n = 0;
  return {
    packet(): void {
      if (ctx.worker === 1) throw new Error('handler failed on purpose');
      n++;
    },
    finish: () => n,
  };
};
export default factory;

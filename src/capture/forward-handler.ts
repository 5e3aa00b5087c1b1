/**
 * The fanout handler the CLI uses: packs every packet a worker receives into batches and posts them
 * to the main thread, which merges the workers' packets in timestamp order and writes them out.
 */
import type { PacketView } from '../packet.js';
import { PacketBatchWriter } from './merge.js';
import type { WorkerHandlerFactory } from './workers.js';

const factory: WorkerHandlerFactory<undefined> = (ctx) => {
  const batch = new PacketBatchWriter();
  const send = (): void => {
    if (batch.count > 0) ctx.post(batch.take());
  };
  return {
    packet(p: PacketView): void {
      if (!batch.add(p)) {
        send();
        batch.add(p);
      }
    },
    flush: send,
  };
};
export default factory;

/** Inline traffic: NFQUEUE verdicts (`openQueue`) and NFLOG capture (`openLog`) over nfnetlink, in TypeScript. */
export { NfQueue, QueueError, kernelQueueStats, openQueue } from './queue.js';
export type { KernelQueueStats, QueueOptions, QueueStats, QueuedPacket, QueuedPacketView, Verdict } from './queue.js';
export { NfLog, openLog } from './nflog.js';
export type { LogOptions, LoggedPacket } from './nflog.js';
export { NF_VERDICT, NFQA, NFQA_CFG_F, NFQA_SKB, NFQNL_MAX_COPY_RANGE } from './nfqueue.js';
export type { PacketRecord } from './nfqueue.js';
export { LatencyHistogram } from './latency.js';

/**
 * The packet pipeline as a library: a plain-data `PipelineConfig` (source, filter, sinks, count)
 * and `runPipeline` / `Pipeline` that run it, as the tscap command does.
 * @example
 * import { runPipeline } from 'tscap/pipeline';
 * await runPipeline({ source: { kind: 'live', interfaces: ['eth0'] }, filter: 'udp port 53', print: { kind: 'json' } }, { signal: AbortSignal.timeout(5000) });
 */
export { Pipeline, runPipeline, compileChecked, isRuntimeError, linkTypeText, liveLinkType, loadBpfFile } from './pipeline.js';
export { fileSinkOptionsOf } from './file.js';
export type { PipelineIo, PipelineResult } from './pipeline.js';
export { checkCaptureConfig, checkPipelineConfig, parseFanout, snaplenOf } from './config.js';
export type { CaptureConfig, FileConfig, PipelineConfig, PrintConfig, QueueConfig, SourceConfig } from './config.js';
export { FileSource, LiveSource, MultiLiveSource, WorkerSource } from './sources.js';
export type { Source, SourceStats } from './sources.js';
export { InlineSpecError, parseInlineSpec } from './inline-sources.js';

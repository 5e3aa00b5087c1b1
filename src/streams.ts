/**
 * Streams and signals as tscap's public declarations name them: the few members tscap uses, written
 * out so that a consumer compiles without `@types/node` or the DOM library. Node's own objects
 * (`process.stdout`, `fs.createReadStream(...)`, `AbortSignal.timeout(...)`) satisfy them.
 */

/** A readable byte stream: anything async-iterable over byte chunks (Node's Readable is). */
export interface ByteReadableStream {
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array | string>;
}

/** Any event listener; `any` as in Node's own declarations, so Node's streams fit. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StreamListener = (...args: any[]) => void;

/** A writable byte stream: the members of Node's Writable that tscap calls. */
export interface ByteWritableStream {
  write(chunk: Uint8Array | string): boolean;
  /** Bytes written but not yet handed to the system (0: the stream holds no chunk it was given). */
  readonly writableLength?: number;
  end(cb?: () => void): unknown;
  on(event: 'error' | 'drain' | 'close', listener: StreamListener): unknown;
  once(event: 'error' | 'drain' | 'close', listener: StreamListener): unknown;
  off(event: 'error' | 'drain' | 'close', listener: StreamListener): unknown;
}

/** An abort signal: the members of the standard AbortSignal that tscap calls. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

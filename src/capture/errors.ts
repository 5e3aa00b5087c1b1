/**
 * The capture module's errors and limits, apart from the code that needs native calls, so that
 * option checks and error handling load nothing native.
 */

/** The largest snapshot length, as tcpdump's. */
export const MAX_SNAPLEN = 262144;

/** The most workers one fanout run may start. */
export const MAX_WORKERS = 64;

/** Thrown when a closed capture is used. */
export class CaptureClosedError extends Error {
  override readonly name = 'CaptureClosedError';
  constructor() {
    super('capture is closed');
  }
}

/** Thrown (by `dispatch`/`wait`) when an interface came back after a gap (`reopen`) with another link type. */
export class InterfaceChangedError extends Error {
  override readonly name = 'InterfaceChangedError';
}

/**
 * Thrown for options that cannot work, before any socket is opened. The message starts with the
 * option as `CaptureOptions` names it (`ring.blockSize 5000: ...`); `option` holds that name.
 */
export class CaptureOptionError extends Error {
  override readonly name = 'CaptureOptionError';
  /** The library option at fault (`snaplen`, `ring.blockSize`, `fanout.group`, ...), when one is. */
  readonly option: string | undefined;
  constructor(message: string, option?: string) {
    super(message);
    this.option = option;
  }
}

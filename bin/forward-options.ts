/** `--send-thread`: where `--mirror` and `--export` send from. */

/** Thrown for a `--send-thread` value that is not auto, on or off. */
export class SendThreadOptionError extends Error {}

/** `--send-thread auto|on|off` as the library's `sendThread` option (absent for auto: the library decides by CPU count). */
export function sendThreadOption(value: string): { sendThread?: boolean } {
  if (value === 'auto') return {};
  if (value === 'on' || value === 'off') return { sendThread: value === 'on' };
  throw new SendThreadOptionError(`--send-thread ${value}: must be auto, on or off`);
}

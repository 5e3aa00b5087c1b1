/**
 * ESP decryption for the printer, tcpdump's `-E` (RFC 4303): `[spi@addr ]algo:secret`, comma
 * separated. As tcpdump does, `-hmac96` / `-hmac256` in the algorithm name give the length of the
 * integrity check value (not verified, only skipped), `-cbc` is dropped, and the rest is an OpenSSL
 * cipher name (`aes128`, `aes256`, `des-ede3`), here through node:crypto. The secret is ASCII, or hex
 * after `0x`. An SA with `spi@addr` applies to that SPI and destination; one without, to the rest.
 */
import { createDecipheriv, getCipherInfo } from 'node:crypto';
import type { EspDecryptor, EspPlaintext } from '../decode/print.js';

/** One security association as given on the command line. */
interface EspSa {
  spi: number | undefined;
  dst: string | undefined;
  cipher: string;
  key: Uint8Array;
  ivLen: number;
  authLen: number;
}

export type { EspDecryptor, EspPlaintext } from '../decode/print.js';

/** A -E value that cannot be used, with tcpdump's kind of wording. */
export class EspSpecError extends Error {
  override readonly name = 'EspSpecError';
}

function parseSa(text: string): EspSa {
  let rest = text.trim();
  let spi: number | undefined;
  let dst: string | undefined;
  const space = rest.indexOf(' ');
  if (space > 0 && rest.slice(0, space).includes('@')) {
    const [s, d] = rest.slice(0, space).split('@') as [string, string];
    spi = Number(s);
    if (!Number.isInteger(spi) || spi < 0 || spi > 0xffffffff) throw new EspSpecError(`-E: bad SPI ${s}`);
    dst = d;
    rest = rest.slice(space + 1).trim();
  }
  const colon = rest.indexOf(':');
  if (colon < 0) throw new EspSpecError(`-E: ${text}: expected algo:secret`);
  let algo = rest.slice(0, colon).toLowerCase();
  const secret = rest.slice(colon + 1);
  let authLen = 0;
  if (algo.endsWith('-hmac96')) {
    authLen = 12;
    algo = algo.slice(0, -'-hmac96'.length);
  } else if (algo.endsWith('-hmac256')) {
    authLen = 16;
    algo = algo.slice(0, -'-hmac256'.length);
  }
  algo = algo.replace(/-cbc$/, '');
  const cipher = algo === '3des' ? 'des-ede3-cbc' : algo;
  const info = getCipherInfo(cipher);
  if (info === undefined || info.mode !== 'cbc') throw new EspSpecError(`-E: failed to find cipher algo ${algo} (tscap decrypts CBC ciphers: aes128, aes192, aes256, 3des)`);
  const key = secret.startsWith('0x') ? Uint8Array.from(Buffer.from(secret.slice(2), 'hex')) : new TextEncoder().encode(secret);
  if (key.length !== info.keyLength) throw new EspSpecError(`-E: the secret for ${algo} must be ${info.keyLength} bytes, got ${key.length}`);
  return { spi, dst, cipher, key, ivLen: info.ivLength ?? 0, authLen };
}

/**
 * Parses tcpdump's -E value.
 * @example
 * const esp = parseEspSecrets('aes128-cbc-hmac96:0x00112233445566778899aabbccddeeff');
 */
export function parseEspSecrets(spec: string): EspDecryptor {
  const sas = spec.split(',').filter((s) => s.trim() !== '').map(parseSa);
  if (sas.length === 0) throw new EspSpecError('-E: no security association given');
  return {
    decrypt(bytes: Uint8Array, off: number, len: number, dst: string): EspPlaintext | undefined {
      if (len < 8) return undefined;
      const spi = ((bytes[off] ?? 0) * 0x1000000 + (((bytes[off + 1] ?? 0) << 16) | ((bytes[off + 2] ?? 0) << 8) | (bytes[off + 3] ?? 0))) >>> 0;
      const sa = sas.find((s) => s.spi === spi && s.dst === dst) ?? sas.find((s) => s.spi === undefined);
      if (sa === undefined) return undefined;
      const ivStart = off + 8;
      const ctStart = ivStart + sa.ivLen;
      const ctLen = len - 8 - sa.ivLen - sa.authLen;
      if (ctLen <= 0 || ctLen % 8 !== 0 || ctStart + ctLen > bytes.length) return undefined;
      try {
        const d = createDecipheriv(sa.cipher, sa.key, bytes.subarray(ivStart, ctStart));
        d.setAutoPadding(false);
        const plain = Buffer.concat([d.update(bytes.subarray(ctStart, ctStart + ctLen)), d.final()]);
        const padLen = plain[plain.length - 2] ?? 0;
        const nextHeader = plain[plain.length - 1] ?? 0;
        if (padLen + 2 > plain.length) return { ok: false, nextHeader, data: new Uint8Array(0) };
        return { ok: true, nextHeader, data: new Uint8Array(plain.buffer, plain.byteOffset, plain.length - 2 - padLen) };
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * nfnetlink framing without a kernel: message bytes written out by hand from the uapi layouts
 * (linux/netlink.h, nfnetlink.h, nfnetlink_queue.h) against the builder, and hand-made packet
 * messages (good, cut, malformed) against the parser. The NFLOG record walker is checked on a
 * record laid out as libpcap writes it.
 */
import { describe, expect, test } from 'vitest';
import { AttrTable, NlBuilder } from '../../src/inline/netlink.js';
import { NFQA, buildVerdict, emptyRecord, parsePacket } from '../../src/inline/nfqueue.js';
import { LatencyHistogram } from '../../src/inline/latency.js';
import { nflogPayloadOffset } from '../../src/decode/nflog.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('verdict messages', () => {
  test('a batch verdict with a mark, byte for byte', () => {
    const b = new NlBuilder(256);
    buildVerdict(b, 7, 0x01020304, 1, 42, true);
    // nlmsghdr: len 40, type 0x0303 (QUEUE<<8 | VERDICT_BATCH), flags REQUEST, seq 0, pid 0
    // nfgenmsg: family 0, version 0, res_id 7 (big-endian)
    // nlattr len 12 type 2 (VERDICT_HDR): verdict 1 (NF_ACCEPT), id 0x01020304, both big-endian
    // nlattr len 8 type 3 (MARK): 42 big-endian
    expect(hex(b.bytes())).toBe(
      '28000000' + '0303' + '0100' + '00000000' + '00000000' + '00' + '00' + '0007' + '0c00' + '0200' + '00000001' + '01020304' + '0800' + '0300' + '0000002a',
    );
  });

  test('a single verdict replacing the payload pads the attribute to 4 bytes', () => {
    const b = new NlBuilder(256);
    buildVerdict(b, 0, 5, 1, -1, false, new Uint8Array([0xaa, 0xbb, 0xcc]));
    expect(hex(b.bytes())).toBe('28000000' + '0103' + '0100' + '00000000' + '00000000' + '00000000' + '0c000200' + '00000001' + '00000005' + '07000a00' + 'aabbcc00');
  });
});

/** A NFQNL_MSG_PACKET with the given attributes (type, value). */
function packetMessage(attrs: [number, number[]][]): Uint8Array {
  const body: number[] = [];
  for (const [type, value] of attrs) {
    const len = 4 + value.length;
    body.push(len & 0xff, len >> 8, type & 0xff, type >> 8, ...value);
    while (body.length % 4 !== 0) body.push(0);
  }
  const total = 20 + body.length;
  return new Uint8Array([total & 0xff, total >> 8, 0, 0, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, ...body]);
}

describe('packet messages', () => {
  const ip = [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 2, 198, 51, 100, 2];
  test('header, mark, interfaces, cap length and payload', () => {
    const m = packetMessage([
      [NFQA.PACKET_HDR, [0, 0, 1, 0, 0x08, 0x00, 2]],
      [NFQA.MARK, [0, 0, 0, 9]],
      [NFQA.IFINDEX_INDEV, [0, 0, 0, 3]],
      [NFQA.IFINDEX_OUTDEV, [0, 0, 0, 4]],
      [NFQA.CAP_LEN, [0, 0, 5, 220]],
      [NFQA.SKB_INFO, [0, 0, 0, 2]],
      [NFQA.PAYLOAD, ip],
    ]);
    const r = emptyRecord();
    expect(parsePacket(new DataView(m.buffer), 0, m.length, new AttrTable(NFQA.MAX), r)).toBe(true);
    expect(r).toMatchObject({ id: 256, hwProtocol: 0x0800, hook: 2, mark: 9, indev: 3, outdev: 4, wireLen: 1500, skbInfo: 2, payloadLen: 20, hasTime: false, ctInfo: -1 });
    expect([...m.subarray(r.payloadOffset, r.payloadOffset + r.payloadLen)]).toEqual(ip);
  });

  test('no packet header, or an attribute running past the end: malformed', () => {
    const t = new AttrTable(NFQA.MAX);
    const noHdr = packetMessage([[NFQA.PAYLOAD, ip]]);
    expect(parsePacket(new DataView(noHdr.buffer), 0, noHdr.length, t, emptyRecord())).toBe(false);
    const bad = packetMessage([[NFQA.PACKET_HDR, [0, 0, 0, 1, 8, 0, 2]], [NFQA.PAYLOAD, ip]]);
    bad[20] = 0xff; // the PACKET_HDR attribute's length now runs past the message
    expect(parsePacket(new DataView(bad.buffer), 0, bad.length, t, emptyRecord())).toBe(false);
  });
});

describe('NFLOG records', () => {
  test('finds the payload TLV after others, lengths padded to 4', () => {
    // family 2, version 0, resource id 5; TLV prefix (len 7 -> 8 padded), TLV payload
    const rec = new Uint8Array([2, 0, 0, 5, 7, 0, 10, 0, 0x61, 0x62, 0, 0, 8, 0, 9, 0, 0x45, 0, 0, 4]);
    expect(nflogPayloadOffset(rec, 0, rec.length)).toBe(16);
    expect(nflogPayloadOffset(rec, 0, 12)).toBe(-1);
    rec[4] = 2; // a TLV shorter than its own header
    expect(nflogPayloadOffset(rec, 0, rec.length)).toBe(-1);
  });
});

test('latency percentiles are within a bucket of the samples', () => {
  const h = new LatencyHistogram();
  for (let i = 1; i <= 1000; i++) h.add(i);
  expect(Math.abs(h.percentile(0.5) - 500) / 500).toBeLessThan(0.1);
  expect(Math.abs(h.percentile(0.99) - 990) / 990).toBeLessThan(0.1);
});

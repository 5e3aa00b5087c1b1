/**
 * Regenerates fixtures/pcap/: real traffic between a fresh namespace and the host, captured at the same
 * time by `tcpdump -w` (micro and nano) and `tshark -w` (pcapng), converted with editcap, byte-swapped
 * to big-endian, hand-built rare blocks, and corrupt variants. Needs root, tcpdump, tshark, editcap.
 * Run: `npx tsx test/pcap/make-fixtures.ts` (overwrites the files; see fixtures/pcap/README.md).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestNet, run } from '../helpers/netns.js';
import { countRecords, packetSockets, waitFor } from '../helpers/wait.js';
import { swapPcap, swapPcapng } from './byteswap.js';
import { NgBuilder, udpFrame } from './craft.js';
import type { Opt } from './craft.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../../fixtures/pcap');
mkdirSync(out, { recursive: true });
const f = (name: string): string => join(out, name);

function startCapture(cmd: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${err}`)), 15000);
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (ready.test(err)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGINT');
  });
}

async function capture(): Promise<void> {
  const net = createTestNet('tp', { ipv6: true, hostAddr: '10.77.0.1/24', peerAddr: '10.77.0.2/24' });
  const children: ChildProcess[] = [];
  try {
    run('ip', ['addr', 'add', 'fd00:77::1/64', 'dev', net.host, 'nodad']);
    net.exec('ip', ['addr', 'add', 'fd00:77::2/64', 'dev', net.peer, 'nodad']);
    children.push(await startCapture('tcpdump', ['-i', net.host, '-U', '-w', f('tcpdump.pcap')], /listening on/));
    children.push(
      await startCapture('tcpdump', ['-i', net.host, '-U', '--time-stamp-precision=nano', '-w', f('tcpdump-nano.pcap')], /listening on/),
    );
    children.push(await startCapture('tshark', ['-i', net.host, '-w', f('tshark.pcapng')], /Capturing on/));
    // "Capturing on" comes from tshark; its dumpcap child binds the socket: wait for all three sockets.
    const ifindex = Number(readFileSync(`/sys/class/net/${net.host}/ifindex`, 'utf8'));
    await waitFor(() => packetSockets().filter((r) => r.ifindex === ifindex && r.running).length >= 3, { what: `three capture sockets on ${net.host}` });
    net.exec('ping', ['-c', '10', '-i', '0.05', '10.77.0.1']);
    net.exec('ping', ['-c', '2', '-s', '3000', '10.77.0.1']);
    net.exec('ping', ['-6', '-c', '5', '-i', '0.05', 'fd00:77::1']);
    const udp = `const s=require('dgram').createSocket('udp4');let i=0;const sizes=[0,1,100,1400,5000];
      const next=()=>{if(i>=25){s.close();return;}const n=sizes[i%sizes.length];s.send(Buffer.alloc(n,i),9,'10.77.0.1',()=>{i++;setTimeout(next,5);});};next();`;
    net.exec('node', ['-e', udp]);
    // Every frame has been sent; the captures hand theirs over within libpcap's 1 s block timeout.
    // Done when all three files hold the same count, at least the frames sent here: 10 + 10 echo,
    // 2 × 2 × 3 fragments, 5 + 5 echo6, 25 datagrams of which 5 become 4 fragments.
    const files = [f('tcpdump.pcap'), f('tcpdump-nano.pcap'), f('tshark.pcapng')];
    const counts = (): number[] => files.map(countRecords);
    await waitFor(() => new Set(counts()).size === 1 && (counts()[0] ?? 0) >= 20 + 12 + 10 + 40, { what: 'the three captures to agree', detail: () => counts().join(', ') });
  } finally {
    for (const c of children) await stop(c);
    net.remove();
  }
}

function crafted(le: boolean): Uint8Array {
  const b = new NgBuilder(le);
  const shbOpts: Opt[] = [
    [1, b.str('crafted section one')],
    [2, b.str('test hardware')],
    [3, b.str('Linux 6.1')],
    [4, b.str('tscap fixtures')],
  ];
  b.shb(shbOpts);
  b.idb(1, 262144, [
    [2, b.str('eth0')],
    [3, b.str('first interface')],
    [9, Uint8Array.of(9)],
    [11, Uint8Array.of(0, ...b.str('udp port 53'))],
    [12, b.str('Linux 6.1')],
    [1, b.str('interface comment')],
  ]);
  b.idb(1, 128, [
    [2, b.str('eth1')],
    [9, Uint8Array.of(0x80 | 20)], // 2^-20 s units
    [14, b.u64(1000n)], // if_tsoffset: +1000 s
  ]);
  b.nrbIpv4([10, 0, 0, 1], 'host-a.example');
  b.custom(32473, b.str('custom data'));
  b.dsb(b.str('CLIENT_RANDOM 00 11\n'));
  b.unknown(0x00000099, b.str('unknown block'));
  const base = 1700000000n;
  b.epb(0, base * 1000000000n + 123456789n, udpFrame(10, 1), 52, [
    [2, b.u32(0x1 | (1 << 2))], // inbound unicast
    [4, b.u64(7n)],
    [1, b.str('packet comment')],
  ]);
  b.epb(0, base * 1000000000n + 999999999n, udpFrame(20, 2), 62, [[2, b.u32(0x2)]]); // outbound
  b.epb(0, (base + 1n) * 1000000000n, udpFrame(30, 3), 200); // cut frame, wire 200
  b.epb(1, (base << 20n) + 524288n, udpFrame(5, 4)); // 2^-20 units: +0.5 s
  b.epb(1, (base << 20n) + 1n, udpFrame(200, 5)); // longer than snaplen 128 is allowed in a file
  b.pb(0, 3, base * 1000000000n + 5n, udpFrame(7, 6), [[2, b.u32(0x1 | (3 << 2))]]); // inbound broadcast
  b.spb(udpFrame(9, 7));
  b.isb(0, (base + 2n) * 1000000000n, [
    [4, b.u64(100n)],
    [5, b.u64(3n)],
    [8, b.u64(7n)],
  ]);
  // A second section in the other byte order, with its own interface numbering.
  const c = new NgBuilder(!le);
  c.shb([[1, c.str('crafted section two')]]);
  c.idb(101, 65535, [[2, c.str('tun0')], [9, Uint8Array.of(6)]]);
  c.epb(0, 1700000005000001n, udpFrame(3, 8).subarray(14));
  const one = b.bytes();
  const two = c.bytes();
  const all = new Uint8Array(one.length + two.length);
  all.set(one);
  all.set(two, one.length);
  return all;
}

function corrupt(): void {
  const pcap = readFileSync(f('tcpdump.pcap'));
  const ng = readFileSync(f('tshark.pcapng'));
  // Cut inside the 3rd record's data.
  const dv = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  let p = 24;
  for (let i = 0; i < 2; i++) p += 16 + dv.getUint32(p + 8, true);
  writeFileSync(f('corrupt-truncated.pcap'), pcap.subarray(0, p + 16 + 5));
  const badMagic = Buffer.from(pcap.subarray(0, 200));
  badMagic.writeUInt32LE(0x12345678, 0);
  writeFileSync(f('corrupt-bad-magic.pcap'), badMagic);
  const huge = Buffer.from(pcap);
  huge.writeUInt32LE(0x20000000, p + 8); // 512 MiB caplen in record 3
  writeFileSync(f('corrupt-huge-caplen.pcap'), huge);
  // pcapng: SHB, IDB, then packets; damage the first EPB.
  const ndv = new DataView(ng.buffer, ng.byteOffset, ng.byteLength);
  let q = 0;
  while (ndv.getUint32(q, true) !== 6) q += ndv.getUint32(q + 4, true);
  const len = ndv.getUint32(q + 4, true);
  const odd = Buffer.from(ng);
  odd.writeUInt32LE(len + 2, q + 4);
  writeFileSync(f('corrupt-length-not-multiple-of-4.pcapng'), odd);
  const trailer = Buffer.from(ng);
  trailer.writeUInt32LE(len + 4, q + len - 4);
  writeFileSync(f('corrupt-trailer-mismatch.pcapng'), trailer);
  const caplen = Buffer.from(ng);
  caplen.writeUInt32LE(len, q + 20);
  writeFileSync(f('corrupt-caplen-exceeds-block.pcapng'), caplen);
  writeFileSync(f('corrupt-truncated.pcapng'), ng.subarray(0, q + len + 10));
}

await capture();
for (const n of ['tcpdump.pcap', 'tcpdump-nano.pcap', 'tshark.pcapng']) chmodSync(f(n), 0o644); // dumpcap writes 0600
run('editcap', ['-F', 'pcapng', f('tcpdump.pcap'), f('editcap.pcapng')]);
run('editcap', ['-F', 'nsecpcap', f('tcpdump.pcap'), f('editcap-nsec.pcap')]);
run('editcap', ['-a', '1:first packet comment', '-a', '3:third packet comment', f('tshark.pcapng'), f('editcap-comments.pcapng')]);
writeFileSync(f('be-micro.pcap'), swapPcap(readFileSync(f('tcpdump.pcap'))));
writeFileSync(f('be-nano.pcap'), swapPcap(readFileSync(f('tcpdump-nano.pcap'))));
writeFileSync(f('be.pcapng'), swapPcapng(readFileSync(f('tshark.pcapng'))));
writeFileSync(f('multi-section.pcapng'), Buffer.concat([readFileSync(f('tshark.pcapng')), swapPcapng(readFileSync(f('editcap.pcapng')))]));
writeFileSync(f('crafted.pcapng'), crafted(true));
writeFileSync(f('crafted-be.pcapng'), crafted(false));
corrupt();
process.stdout.write(`fixtures written to ${out}\n`);

/**
 * Hand-off speed: frames per second and CPU per frame of the TX-ring mirror against one sendto per
 * frame (how tcpreplay-style senders work), and of the VXLAN exporter (sendmmsg, 1024 a call) against
 * one datagram per send on a Node UDP socket. Frames go out of a veth into a namespace this script
 * makes and removes; nothing leaves the machine.
 *
 *   npx tsx bench/forward.ts [frames=200000] [frameBytes=64]
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { createExporter } from '../src/capture/export.js';
import { openInjector } from '../src/capture/inject.js';
import { createMirror } from '../src/capture/mirror.js';
import { emptyPacket } from '../src/packet.js';

const frames = Number(process.argv[2] ?? 200_000);
const size = Number(process.argv[3] ?? 64);
const id = randomBytes(2).toString('hex');
const ns = `tbf${id}`;
const host = `tbfh${id}`;
const peer = `tbfp${id}`;
const sh = (...a: string[]): string => execFileSync(a[0] as string, a.slice(1), { encoding: 'utf8' });

function measure(name: string, run: () => void | Promise<void>): Promise<void> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  return Promise.resolve(run()).then(() => {
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1e6;
    console.log(JSON.stringify({ bench: 'forward', name, frames, frameBytes: size, kfps: +(frames / wall / 1000).toFixed(1), cpuUsPerFrame: +((cpu / frames) * 1e6).toFixed(2) }));
  });
}

async function main(): Promise<void> {
  sh('ip', 'netns', 'add', ns);
  try {
    sh('ip', 'link', 'add', host, 'type', 'veth', 'peer', 'name', peer, 'netns', ns);
    sh('ip', 'addr', 'add', '198.18.77.1/24', 'dev', host);
    sh('ip', 'link', 'set', host, 'up');
    sh('ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', '198.18.77.2/24', 'dev', peer);
    sh('ip', 'netns', 'exec', ns, 'ip', 'link', 'set', peer, 'up');
    sh('ping', '-c', '1', '-W', '2', '198.18.77.2');
    const sink = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', "import socket,time\ns=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\ns.bind(('0.0.0.0',4789))\ns.setsockopt(socket.SOL_SOCKET,socket.SO_RCVBUF,1<<20)\ntime.sleep(600)"]);
    try {
      const frame = new Uint8Array(size);
      frame.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xb5]);
      const p = emptyPacket();
      p.buf = frame;
      p.capLen = size;
      p.wireLen = size;

      const mirror = createMirror(host);
      await measure('mirror: TX ring, one kick per 256 frames', () => {
        for (let i = 0; i < frames; i++) {
          mirror.write(p);
          if ((i & 255) === 255) mirror.flush();
        }
        mirror.flush();
      });
      await mirror.close();
      console.error(`mirror counters: ${JSON.stringify(mirror.stats())}`);

      const inj = openInjector(host);
      await measure('per-frame sendto (tcpreplay style)', () => {
        for (let i = 0; i < frames; i++) inj.send(frame);
      });
      inj.close();

      const exp = await createExporter('udp://198.18.77.2:4789?vni=7');
      await measure('VXLAN export: sendmmsg, 1024 datagrams a call', () => {
        for (let i = 0; i < frames; i++) exp.write(p);
        exp.flush();
      });
      await exp.close();
      console.error(`export counters: ${JSON.stringify(exp.stats())}`);

      const sock = dgram.createSocket('udp4');
      await new Promise<void>((r) => sock.connect(4789, '198.18.77.2', () => r()));
      const datagram = Buffer.alloc(size + 8);
      await measure('per-datagram send (Node dgram)', async () => {
        for (let i = 0; i < frames; i++) {
          sock.send(datagram);
          if ((i & 1023) === 1023) await new Promise((r) => setImmediate(r));
        }
      });
      sock.close();
    } finally {
      sink.kill();
    }
  } finally {
    sh('ip', 'netns', 'del', ns);
    try {
      sh('ip', 'link', 'del', host);
    } catch {
      // gone with the namespace
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

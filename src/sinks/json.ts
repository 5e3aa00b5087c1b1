/**
 * NDJSON sink: one object per packet in the schema of shared/SCHEMA.md (`index`, `ts`, `len`,
 * `caplen`, `linktype`, `stack`, `layers`). Only the outermost IP header and the transport header
 * directly inside it are emitted; the stack stops at the first payload the schema does not cover.
 */
import type { PacketSink, PacketView } from '../packet.js';
import type { TextOutput } from './output.js';
import { LayerParser, Layer } from '../decode/parser.js';
import { DecodeStatus } from '../decode/status.js';
import { ethernetRepr, type EthernetView } from '../decode/ethernet.js';
import { vlanRepr, type VlanView } from '../decode/vlan.js';
import { mplsRepr, type MplsView } from '../decode/mpls.js';
import { sllRepr, type SllView } from '../decode/sll.js';
import { loopbackRepr, type LoopbackView } from '../decode/loopback.js';
import { arpRepr, type ArpView } from '../decode/arp.js';
import { ipv4Repr, type Ipv4View } from '../decode/ipv4.js';
import { ipv6Repr, type Ipv6View } from '../decode/ipv6.js';
import { tcpRepr, type TcpView } from '../decode/tcp.js';
import { udpRepr, type UdpView } from '../decode/udp.js';
import { icmpRepr, type IcmpView } from '../decode/icmp.js';
import { icmpv6Repr, type Icmpv6View } from '../decode/icmpv6.js';
import { dnsRepr, type DnsView } from '../decode/dns.js';

/** JSON sink options. */
export interface JsonOptions {
  /** Nanosecond timestamps (9 fraction digits) instead of microseconds (6). */
  nano: boolean;
  /**
   * Live captures: names an interface index. When given, every packet seen on a known interface gets
   * `ifindex` and `interface` fields (beyond the schema, allowed by it).
   */
  ifName?: (ifindex: number) => string | undefined;
}

/**
 * Builds the JSON object for one packet (plain data; `JSON.stringify` it).
 * @example
 * const j = new JsonFormatter({ nano: false });
 * console.log(JSON.stringify(j.object(pkt)));
 */
export class JsonFormatter {
  private readonly parser = new LayerParser();

  constructor(private readonly opts: JsonOptions) {}

  /** The schema object for one packet. */
  object(pkt: PacketView): Record<string, unknown> {
    const p = this.parser;
    p.decode(pkt.buf, pkt.offset, pkt.capLen, pkt.linkType);
    const frac = this.opts.nano ? String(pkt.tsNsec).padStart(9, '0') : String(Math.floor(pkt.tsNsec / 1000)).padStart(6, '0');
    const stack: string[] = [];
    const layers: Record<string, unknown> = {};
    const obj: Record<string, unknown> = {
      index: pkt.index, ts: `${pkt.tsSec}.${frac}`, len: pkt.wireLen, caplen: pkt.capLen, linktype: pkt.linkType, stack, layers,
    };
    if (this.opts.ifName !== undefined && pkt.ifindex > 0) {
      obj['ifindex'] = pkt.ifindex;
      const name = this.opts.ifName(pkt.ifindex);
      if (name !== undefined) obj['interface'] = name;
    }
    let ipSeen = false;
    let ipIdx = -1;
    for (let i = 0; i < p.count; i++) {
      const kind = p.kinds[i];
      if (p.status[i] !== DecodeStatus.Ok) {
        // a header cut short by the snapshot length is omitted (the schema allows it); a complete
        // IPv4 or TCP fixed header with bad length fields is shown as carried, and ends the stack
        const v = p.view(i) as { length: number; version?: number };
        if (p.status[i] === DecodeStatus.Malformed && kind === Layer.Ipv4 && !ipSeen && v.length >= 20 && v.version === 4) {
          stack.push('ipv4');
          layers.ipv4 = ipv4Repr(p.view(i) as Ipv4View);
        } else if (p.status[i] === DecodeStatus.Malformed && kind === Layer.Tcp && ipIdx === i - 1 && v.length >= 20) {
          stack.push('tcp');
          layers.tcp = tcpRepr(p.view(i) as TcpView, p.lens[i]!);
        }
        break;
      }
      const v = p.view(i);
      let stop = false;
      switch (kind) {
        case Layer.Ethernet:
          if (i !== 0) stop = true;
          else {
            stack.push('eth');
            layers.eth = ethernetRepr(v as EthernetView);
          }
          break;
        case Layer.Sll: {
          stack.push('sll');
          const r = sllRepr(v as SllView);
          delete r.ifindex;
          layers.sll = r;
          break;
        }
        case Layer.Loopback:
          stack.push('loopback');
          layers.loopback = loopbackRepr(v as LoopbackView);
          break;
        case Layer.Vlan:
          if (ipSeen) stop = true;
          else {
            stack.push('vlan');
            ((layers.vlan ??= []) as unknown[]).push(vlanRepr(v as VlanView));
          }
          break;
        case Layer.Mpls:
          if (ipSeen) stop = true;
          else {
            stack.push('mpls');
            ((layers.mpls ??= []) as unknown[]).push(mplsRepr(v as MplsView));
          }
          break;
        case Layer.Arp:
          if (ipSeen) stop = true;
          else {
            stack.push('arp');
            layers.arp = arpRepr(v as ArpView);
          }
          break;
        case Layer.Ipv4:
          if (ipSeen) stop = true;
          else {
            ipSeen = true;
            ipIdx = i;
            stack.push('ipv4');
            layers.ipv4 = ipv4Repr(v as Ipv4View);
          }
          break;
        case Layer.Ipv6:
          if (ipSeen) stop = true;
          else {
            ipSeen = true;
            ipIdx = i;
            stack.push('ipv6');
            const ip6 = v as Ipv6View;
            layers.ipv6 = ipv6Repr(ip6);
          }
          break;
        case Layer.Tcp:
          if (ipIdx !== i - 1) stop = true;
          else {
            stack.push('tcp');
            layers.tcp = tcpRepr(v as TcpView, p.lens[i]!);
          }
          break;
        case Layer.Udp:
          if (ipIdx !== i - 1) stop = true;
          else {
            stack.push('udp');
            layers.udp = udpRepr(v as UdpView);
          }
          break;
        case Layer.Icmp:
          if (ipIdx !== i - 1) stop = true;
          else {
            stack.push('icmp');
            layers.icmp = icmpRepr(v as IcmpView);
          }
          stop = true;
          break;
        case Layer.Icmpv6:
          if (ipIdx !== i - 1) stop = true;
          else {
            stack.push('icmpv6');
            layers.icmpv6 = icmpv6Repr(v as Icmpv6View);
          }
          stop = true;
          break;
        case Layer.Dns:
          // the schema covers DNS over UDP port 53 only
          if (ipIdx !== i - 2 || p.kinds[i - 1] !== Layer.Udp || ((p.view(i - 1) as UdpView).srcPort !== 53 && (p.view(i - 1) as UdpView).dstPort !== 53)) stop = true;
          else {
            stack.push('dns');
            layers.dns = dnsRepr(v as DnsView);
          }
          stop = true;
          break;
        default:
          stop = true;
      }
      if (stop) break;
    }
    return obj;
  }

  /** One NDJSON line (with the newline). */
  line(pkt: PacketView): string {
    return JSON.stringify(this.object(pkt)) + '\n';
  }
}

/**
 * A PacketSink writing one JSON object per packet (NDJSON) through a batched TextOutput.
 * @example
 * const sink = createJsonSink(new TextOutput(process.stdout), { nano: false });
 * sink.write(pkt); await sink.close();
 */
export function createJsonSink(out: TextOutput, opts: JsonOptions): PacketSink {
  const f = new JsonFormatter(opts);
  return {
    write(pkt: PacketView): void {
      let text: string;
      try {
        text = f.line(pkt);
      } catch {
        // a decoder bug must not end the capture: emit the frame record without layers
        text = JSON.stringify({ index: pkt.index, ts: `${pkt.tsSec}.${String(pkt.tsNsec).padStart(9, '0')}`, len: pkt.wireLen, caplen: pkt.capLen, linktype: pkt.linkType, stack: [], layers: {} }) + '\n';
      }
      out.write(text);
    },
    flush(): Promise<void> {
      return out.flush();
    },
    async close(): Promise<void> {
      await out.flush();
    },
  };
}

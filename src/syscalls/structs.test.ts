/**
 * The offset tables in structs.ts against koffi's C ABI layout of the same structs, declared here
 * from linux/if_packet.h and bits/socket.h: a wrong offset would silently corrupt the ring walk.
 */
import koffi from 'koffi';
import { expect, test } from 'vitest';
import {
  BLOCK_DESC,
  CMSGHDR,
  IOVEC,
  MSGHDR,
  PACKET_MREQ,
  SOCKADDR_LL,
  SOCKADDR_NL,
  SOCK_FILTER,
  SOCK_FPROG,
  TPACKET3_HDR,
  TPACKET_AUXDATA,
  TPACKET_REQ3,
  TPACKET_STATS_V3,
} from './structs.js';

const sockaddr_ll = koffi.struct('t_sockaddr_ll', {
  sll_family: 'uint16_t',
  sll_protocol: 'uint16_t',
  sll_ifindex: 'int',
  sll_hatype: 'uint16_t',
  sll_pkttype: 'uint8_t',
  sll_halen: 'uint8_t',
  sll_addr: koffi.array('uint8_t', 8),
});
const tpacket_req3 = koffi.struct('t_tpacket_req3', {
  tp_block_size: 'uint32_t',
  tp_block_nr: 'uint32_t',
  tp_frame_size: 'uint32_t',
  tp_frame_nr: 'uint32_t',
  tp_retire_blk_tov: 'uint32_t',
  tp_sizeof_priv: 'uint32_t',
  tp_feature_req_word: 'uint32_t',
});
const tpacket_bd_ts = koffi.struct('t_tpacket_bd_ts', { ts_sec: 'uint32_t', ts_nsec: 'uint32_t' });
const tpacket_hdr_v1 = koffi.struct('t_tpacket_hdr_v1', {
  block_status: 'uint32_t',
  num_pkts: 'uint32_t',
  offset_to_first_pkt: 'uint32_t',
  blk_len: 'uint32_t',
  seq_num: 'uint64_t',
  ts_first_pkt: tpacket_bd_ts,
  ts_last_pkt: tpacket_bd_ts,
});
const tpacket_block_desc = koffi.struct('t_tpacket_block_desc', { version: 'uint32_t', offset_to_priv: 'uint32_t', hdr: tpacket_hdr_v1 });
const tpacket_hdr_variant1 = koffi.struct('t_tpacket_hdr_variant1', {
  tp_rxhash: 'uint32_t',
  tp_vlan_tci: 'uint32_t',
  tp_vlan_tpid: 'uint16_t',
  tp_padding: 'uint16_t',
});
const tpacket3_hdr = koffi.struct('t_tpacket3_hdr', {
  tp_next_offset: 'uint32_t',
  tp_sec: 'uint32_t',
  tp_nsec: 'uint32_t',
  tp_snaplen: 'uint32_t',
  tp_len: 'uint32_t',
  tp_status: 'uint32_t',
  tp_mac: 'uint16_t',
  tp_net: 'uint16_t',
  hv1: tpacket_hdr_variant1,
  tp_padding: koffi.array('uint8_t', 8),
});
const tpacket_stats_v3 = koffi.struct('t_tpacket_stats_v3', { tp_packets: 'uint32_t', tp_drops: 'uint32_t', tp_freeze_q_cnt: 'uint32_t' });
const tpacket_auxdata = koffi.struct('t_tpacket_auxdata', {
  tp_status: 'uint32_t',
  tp_len: 'uint32_t',
  tp_snaplen: 'uint32_t',
  tp_mac: 'uint16_t',
  tp_net: 'uint16_t',
  tp_vlan_tci: 'uint16_t',
  tp_vlan_tpid: 'uint16_t',
});
const packet_mreq = koffi.struct('t_packet_mreq', { mr_ifindex: 'int', mr_type: 'uint16_t', mr_alen: 'uint16_t', mr_address: koffi.array('uint8_t', 8) });
const sock_filter = koffi.struct('t_sock_filter', { code: 'uint16_t', jt: 'uint8_t', jf: 'uint8_t', k: 'uint32_t' });
const sock_fprog = koffi.struct('t_sock_fprog', { len: 'uint16_t', filter: 'void *' });
const iovec = koffi.struct('t_iovec', { iov_base: 'void *', iov_len: 'size_t' });
const msghdr = koffi.struct('t_msghdr', {
  msg_name: 'void *',
  msg_namelen: 'uint32_t',
  msg_iov: 'void *',
  msg_iovlen: 'size_t',
  msg_control: 'void *',
  msg_controllen: 'size_t',
  msg_flags: 'int',
});
const cmsghdr = koffi.struct('t_cmsghdr', { cmsg_len: 'size_t', cmsg_level: 'int', cmsg_type: 'int' });

const off = (t: Parameters<typeof koffi.offsetof>[0], f: string): number => koffi.offsetof(t, f);

test('sockaddr_ll, tpacket_req3, stats, auxdata, mreq, filter layouts match the C ABI', () => {
  expect(koffi.sizeof(sockaddr_ll)).toBe(SOCKADDR_LL.SIZE);
  expect([off(sockaddr_ll, 'sll_ifindex'), off(sockaddr_ll, 'sll_hatype'), off(sockaddr_ll, 'sll_pkttype'), off(sockaddr_ll, 'sll_addr')]).toEqual([
    SOCKADDR_LL.ifindex,
    SOCKADDR_LL.hatype,
    SOCKADDR_LL.pkttype,
    SOCKADDR_LL.addr,
  ]);
  expect(koffi.sizeof(tpacket_req3)).toBe(TPACKET_REQ3.SIZE);
  expect(off(tpacket_req3, 'tp_retire_blk_tov')).toBe(TPACKET_REQ3.retireBlkTov);
  expect(koffi.sizeof(tpacket_stats_v3)).toBe(TPACKET_STATS_V3.SIZE);
  expect(off(tpacket_stats_v3, 'tp_freeze_q_cnt')).toBe(TPACKET_STATS_V3.tpFreezeQCnt);
  expect(koffi.sizeof(tpacket_auxdata)).toBe(TPACKET_AUXDATA.SIZE);
  expect([off(tpacket_auxdata, 'tp_len'), off(tpacket_auxdata, 'tp_vlan_tci'), off(tpacket_auxdata, 'tp_vlan_tpid')]).toEqual([
    TPACKET_AUXDATA.tpLen,
    TPACKET_AUXDATA.tpVlanTci,
    TPACKET_AUXDATA.tpVlanTpid,
  ]);
  expect(koffi.sizeof(packet_mreq)).toBe(PACKET_MREQ.SIZE);
  expect(off(packet_mreq, 'mr_type')).toBe(PACKET_MREQ.type);
  expect(koffi.sizeof(sock_filter)).toBe(SOCK_FILTER.SIZE);
  expect(off(sock_filter, 'k')).toBe(SOCK_FILTER.k);
  expect(koffi.sizeof(sock_fprog)).toBe(SOCK_FPROG.SIZE);
  expect(off(sock_fprog, 'filter')).toBe(SOCK_FPROG.filter);
});

test('ring block descriptor and tpacket3_hdr layouts match the C ABI', () => {
  expect(off(tpacket_block_desc, 'hdr') + off(tpacket_hdr_v1, 'block_status')).toBe(BLOCK_DESC.blockStatus);
  expect(off(tpacket_block_desc, 'hdr') + off(tpacket_hdr_v1, 'num_pkts')).toBe(BLOCK_DESC.numPkts);
  expect(off(tpacket_block_desc, 'hdr') + off(tpacket_hdr_v1, 'offset_to_first_pkt')).toBe(BLOCK_DESC.offsetToFirstPkt);
  expect(off(tpacket_block_desc, 'hdr') + off(tpacket_hdr_v1, 'seq_num')).toBe(BLOCK_DESC.seqNum);
  expect(off(tpacket_block_desc, 'hdr') + off(tpacket_hdr_v1, 'ts_last_pkt')).toBe(BLOCK_DESC.tsLastSec);
  expect(koffi.sizeof(tpacket3_hdr)).toBe(TPACKET3_HDR.SIZE);
  const fields: [string, number][] = [
    ['tp_sec', TPACKET3_HDR.tpSec],
    ['tp_nsec', TPACKET3_HDR.tpNsec],
    ['tp_snaplen', TPACKET3_HDR.tpSnaplen],
    ['tp_len', TPACKET3_HDR.tpLen],
    ['tp_status', TPACKET3_HDR.tpStatus],
    ['tp_mac', TPACKET3_HDR.tpMac],
    ['tp_net', TPACKET3_HDR.tpNet],
  ];
  for (const [f, o] of fields) expect(off(tpacket3_hdr, f)).toBe(o);
  const hv1 = off(tpacket3_hdr, 'hv1');
  expect(hv1 + off(tpacket_hdr_variant1, 'tp_vlan_tci')).toBe(TPACKET3_HDR.tpVlanTci);
  expect(hv1 + off(tpacket_hdr_variant1, 'tp_vlan_tpid')).toBe(TPACKET3_HDR.tpVlanTpid);
});

test('msghdr, iovec and cmsghdr layouts match the C ABI', () => {
  expect(koffi.sizeof(msghdr)).toBe(MSGHDR.SIZE);
  expect([off(msghdr, 'msg_namelen'), off(msghdr, 'msg_iov'), off(msghdr, 'msg_iovlen'), off(msghdr, 'msg_control'), off(msghdr, 'msg_controllen'), off(msghdr, 'msg_flags')]).toEqual([
    MSGHDR.namelen,
    MSGHDR.iov,
    MSGHDR.iovlen,
    MSGHDR.control,
    MSGHDR.controllen,
    MSGHDR.flags,
  ]);
  expect(koffi.sizeof(iovec)).toBe(IOVEC.SIZE);
  expect(koffi.sizeof(cmsghdr)).toBe(CMSGHDR.SIZE);
  expect(off(cmsghdr, 'cmsg_type')).toBe(CMSGHDR.type);
});

test('sockaddr_nl layout matches the C ABI', () => {
  const sockaddr_nl = koffi.struct('t_sockaddr_nl', { nl_family: 'uint16_t', nl_pad: 'uint16_t', nl_pid: 'uint32_t', nl_groups: 'uint32_t' });
  expect(koffi.sizeof(sockaddr_nl)).toBe(SOCKADDR_NL.SIZE);
  expect([off(sockaddr_nl, 'nl_family'), off(sockaddr_nl, 'nl_pid'), off(sockaddr_nl, 'nl_groups')]).toEqual([SOCKADDR_NL.family, SOCKADDR_NL.pid, SOCKADDR_NL.groups]);
});

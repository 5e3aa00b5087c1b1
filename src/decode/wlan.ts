/**
 * IEEE 802.11 MAC frames (IEEE Std 802.11-2020 clause 9): the frame control field, the header of each
 * frame type (management, control, data with the four address layouts of To/From DS, QoS and the
 * 802.11s mesh control field), the management bodies and the information elements tcpdump reads
 * (SSID, supported rates, DS parameter set, CF, TIM, challenge text). Data frames hand their LLC/SNAP
 * payload to the LLC home. Reached by LINKTYPE_IEEE802_11, or after a radiotap or PPI header.
 */
import { ByteView, DecodeStatus, u16le as le16, u32le as le32 } from './status.js';
import { macText } from './addr.js';
import { Layer } from './layers.js';
import { type Printer, macName, safeChar } from './print.js';

/** Frame types (FC bits 2-3). */
export const WlanType = { MGMT: 0, CTRL: 1, DATA: 2, RESERVED: 3 } as const;

/** Frame control flag bits (second byte of FC, as bits 8-15 of the little-endian word). */
export const WlanFc = {
  TO_DS: 0x0100, FROM_DS: 0x0200, MORE_FRAG: 0x0400, RETRY: 0x0800, PWR_MGMT: 0x1000, MORE_DATA: 0x2000, PROTECTED: 0x4000, ORDER: 0x8000,
} as const;

/** Management subtypes with a body tcpdump prints. */
export const MgmtSubtype = {
  ASSOC_REQ: 0, ASSOC_RESP: 1, REASSOC_REQ: 2, REASSOC_RESP: 3, PROBE_REQ: 4, PROBE_RESP: 5, BEACON: 8, ATIM: 9, DISASSOC: 10,
  AUTH: 11, DEAUTH: 12, ACTION: 13,
} as const;

/** Control subtypes. */
export const CtrlSubtype = { WRAPPER: 7, BAR: 8, BA: 9, PS_POLL: 10, RTS: 11, CTS: 12, ACK: 13, CF_END: 14, CF_END_ACK: 15 } as const;

/** Header lengths of the control subtypes 7..15 (0: reserved subtype). */
const CTRL_HDR_LEN = [0, 0, 0, 0, 0, 0, 0, 16, 20, 10, 16, 16, 10, 10, 16, 16];

/** `arg` bits a radiotap header hands the 802.11 home: padding after the header, FCS at the end. */
export const WlanArg = { FROM_RADIO: 0x10000, PAD: 1, FCS: 2 } as const;

/** Information element ids tcpdump reads. */
export const ElementId = { SSID: 0, RATES: 1, FH: 2, DS: 3, CF: 4, TIM: 5, IBSS: 6, CHALLENGE: 16 } as const;

/**
 * Zero-copy view of an 802.11 frame. `reset` takes the wire length (`declared`), the radiotap flags
 * (Atheros padding, FCS present) and whether 802.11s mesh control fields are read (tcpdump's -H).
 */
export class WlanView extends ByteView {
  /** Frame control as a little-endian word (type/subtype low byte, flags high byte). */
  fc = 0;
  /** MAC header length, mesh control and padding included (0 for a reserved type or control subtype). */
  headerLen = 0;
  /** Mesh control field length inside `headerLen` (0 without one). */
  meshLen = 0;
  /** FCS bytes at the end of the frame (4 when radiotap says so). */
  fcsLen = 0;
  /** Frame length on the wire without the FCS, or -1 when shorter than the FCS. */
  frameLen = 0;
  /** End of the usable captured bytes (capture end, FCS stripped). */
  end = 0;

  /**
   * Points at an 802.11 frame. Truncated when the captured bytes miss the MAC header; Malformed for
   * a reserved frame type or control subtype (`headerLen` 0: no header length known), or a header
   * that runs into the FCS radiotap announces (`headerLen` set).
   * @example wlan.reset(bytes, 0, bytes.length, bytes.length, 0, false);
   */
  reset(bytes: Uint8Array, offset: number, length: number, declared = length, flags = 0, mesh = false): DecodeStatus {
    this.point(bytes, offset, length);
    this.fcsLen = flags & WlanArg.FCS ? 4 : 0;
    this.meshLen = 0;
    this.headerLen = 0;
    this.fc = 0;
    if (declared < this.fcsLen) {
      this.frameLen = -1;
      this.end = offset;
      this.status = DecodeStatus.Truncated;
      return this.status;
    }
    this.frameLen = declared - this.fcsLen;
    const cap = Math.min(this.length, this.frameLen);
    this.end = offset + cap;
    if (cap < 2) {
      this.status = DecodeStatus.Truncated;
      return this.status;
    }
    this.fc = (bytes[offset] ?? 0) | ((bytes[offset + 1] ?? 0) << 8);
    let h = wlanHeaderLen(this.fc);
    if (h === 0) {
      this.status = DecodeStatus.Malformed;
      return this.status;
    }
    if (flags & WlanArg.PAD) h = (h + 3) & ~3;
    if (mesh && this.type === WlanType.DATA && (this.subtype & 8) !== 0) {
      if (cap <= h) {
        this.headerLen = h;
        this.status = DecodeStatus.Truncated;
        return this.status;
      }
      const mf = bytes[offset + h] ?? 0;
      this.meshLen = mf & ~3 ? 0 : 6 * (1 + (mf & 3));
      h += this.meshLen;
    }
    this.headerLen = h;
    // a header whose bytes are captured but run into the FCS is a malformed frame, not a cut one
    this.status = cap >= h ? DecodeStatus.Ok : this.length >= h ? DecodeStatus.Malformed : DecodeStatus.Truncated;
    return this.status;
  }
  /** Frame type (WlanType). */
  get type(): number {
    return (this.fc >> 2) & 3;
  }
  /** Subtype (4 bits). */
  get subtype(): number {
    return (this.fc >> 4) & 15;
  }
  /** Duration/ID field. */
  get duration(): number {
    return le16(this.bytes, this.offset + 2);
  }
  /** MAC address text of address field `n` (1..4). */
  addr(n: number): string {
    return macText(this.bytes, this.offset + (n === 4 ? 24 : 4 + 6 * (n - 1)));
  }
  /** Sequence control (management and data frames). */
  get seqCtrl(): number {
    return le16(this.bytes, this.offset + 22);
  }
  /** Offset of the frame body. */
  get bodyOffset(): number {
    return this.offset + this.headerLen;
  }
  /** Body bytes on the wire (FCS excluded). */
  get bodyLen(): number {
    return this.frameLen - this.headerLen;
  }
  /** True for a data frame whose body is LLC (not null, not protected). */
  get carriesLlc(): boolean {
    return this.status === DecodeStatus.Ok && this.type === WlanType.DATA && (this.subtype & 4) === 0 && (this.fc & WlanFc.PROTECTED) === 0;
  }
}

/** MAC header length for a frame control word (tcpdump's extract_header_length); 0 when unknown. */
export function wlanHeaderLen(fc: number): number {
  const sub = (fc >> 4) & 15;
  switch ((fc >> 2) & 3) {
    case WlanType.MGMT:
      return 24;
    case WlanType.CTRL:
      return CTRL_HDR_LEN[sub] ?? 0;
    case WlanType.DATA:
      return ((fc & 0x0300) === 0x0300 ? 30 : 24) + (sub & 8 ? 2 : 0);
    default:
      return 0;
  }
}

/** The information elements tcpdump reads from a management body (the first of each kind). */
export interface WlanElements {
  /** False when an element is cut, or an SSID/rates/TIM/challenge is too long (tcpdump stops there). */
  ok: boolean;
  ssid?: Uint8Array;
  rates?: Uint8Array;
  dsChannel?: number;
  challenge?: boolean;
  tim?: { count: number; period: number; bitmapControl: number };
  cf?: { count: number; period: number; maxDuration: number; durRemaining: number };
  /** Every element id in order (those fully present). */
  ids: number[];
}

/**
 * Walks the elements in `[o, o + len)` (wire length) within the captured `end`, as tcpdump's
 * parse_elements does: the first SSID, non-empty rates, DS, CF, TIM and challenge are kept, and an
 * SSID over 32 bytes or rates over 16 stop the walk. With `all` those are kept and the walk goes on
 * (the Repr shows what the frame carries); only a cut element stops it.
 */
export function wlanElements(b: Uint8Array, o: number, len: number, end: number, all = false): WlanElements {
  const r: WlanElements = { ok: true, ids: [] };
  while (len > 0) {
    if (o + 2 > end || len < 2) return { ...r, ok: false };
    const id = b[o] ?? 0;
    const n = b[o + 1] ?? 0;
    if (o + 2 + n > end || len < n + 2) return { ...r, ok: false };
    const v = o + 2;
    switch (id) {
      case ElementId.SSID:
        if (n > 32 && !all) return { ...r, ok: false };
        r.ssid ??= b.subarray(v, v + n);
        break;
      case ElementId.CHALLENGE:
        if (n > 253) return { ...r, ok: false };
        r.challenge = true;
        break;
      case ElementId.RATES:
        if (n > 16 && !all) return { ...r, ok: false };
        if (r.rates === undefined && n !== 0) r.rates = b.subarray(v, v + n);
        break;
      case ElementId.DS:
        if (n === 1) r.dsChannel ??= b[v] ?? 0;
        break;
      case ElementId.CF:
        if (n === 6) r.cf ??= { count: b[v] ?? 0, period: b[v + 1] ?? 0, maxDuration: le16(b, v + 2), durRemaining: le16(b, v + 4) };
        break;
      case ElementId.TIM:
        if (n > 3) {
          if (n - 3 > 251) return { ...r, ok: false };
          r.tim ??= { count: b[v] ?? 0, period: b[v + 1] ?? 0, bitmapControl: b[v + 2] ?? 0 };
        }
        break;
    }
    r.ids.push(id);
    o += 2 + n;
    len -= 2 + n;
  }
  return r;
}

/** Fixed fields ahead of the elements per management subtype (beacon: timestamp, interval, capability). */
const MGMT_FIXED: Readonly<Record<number, number>> = { 0: 4, 1: 6, 2: 10, 3: 6, 4: 0, 5: 12, 8: 12, 11: 6 };

/** Parsed 802.11 frame for sinks. */
export interface WlanRepr {
  fc: number;
  type: number;
  subtype: number;
  flags: number;
  duration: number;
  addr1?: string;
  addr2?: string;
  addr3?: string;
  addr4?: string;
  seq?: number;
  frag?: number;
  qos?: number;
  mesh?: { flags: number; ttl: number; seq: number; ext: string[] };
  fcs?: number;
  beaconInterval?: number;
  capability?: number;
  listenInterval?: number;
  status?: number;
  aid?: number;
  currentAp?: string;
  authAlg?: number;
  authSeq?: number;
  reason?: number;
  category?: number;
  action?: number;
  ssid?: string;
  rates?: number[];
  dsChannel?: number;
  tim?: { count: number; period: number; bitmapControl: number };
  elements?: number[];
  /** The body ends inside an element (the element fields hold those before it). */
  elementsCut?: boolean;
  iv?: number;
  keyId?: number;
}

/** Builds the sink representation (allocates). */
export function wlanRepr(v: WlanView): WlanRepr {
  const b = v.bytes;
  const o = v.offset;
  const r: WlanRepr = { fc: v.fc, type: v.type, subtype: v.subtype, flags: v.fc >> 8, duration: 0 };
  if (v.status === DecodeStatus.Truncated && v.end - o < 4) return r;
  r.duration = v.duration;
  // header fields as captured (a frame too short for its FCS still shows them, as tshark does)
  const have = (n: number): boolean => n <= v.length;
  if (have(10)) r.addr1 = v.addr(1);
  const t = v.type;
  const sub = v.subtype;
  const ctrl2 = t === WlanType.CTRL && sub !== CtrlSubtype.CTS && sub !== CtrlSubtype.ACK && sub !== CtrlSubtype.WRAPPER;
  if ((t !== WlanType.CTRL || ctrl2) && have(16)) r.addr2 = v.addr(2);
  if (t !== WlanType.CTRL && have(24)) {
    r.addr3 = v.addr(3);
    r.seq = v.seqCtrl >> 4;
    r.frag = v.seqCtrl & 15;
  }
  if (t === WlanType.DATA && (v.fc & 0x0300) === 0x0300 && have(30)) r.addr4 = v.addr(4);
  if (t === WlanType.DATA && sub & 8) {
    const q = (v.fc & 0x0300) === 0x0300 ? 30 : 24;
    if (have(q + 2)) r.qos = le16(b, o + q);
  }
  if (v.meshLen > 0) {
    const m = v.bodyOffset - v.meshLen;
    const ext: string[] = [];
    for (let k = 0; k < (b[m] ?? 0) % 4; k++) ext.push(macText(b, m + 6 + 6 * k));
    r.mesh = { flags: b[m] ?? 0, ttl: b[m + 1] ?? 0, seq: le32(b, m + 2), ext };
  }
  if (v.fcsLen && v.frameLen >= 0 && o + v.frameLen + 4 <= o + v.length) r.fcs = le32(b, o + v.frameLen);
  if (v.status !== DecodeStatus.Ok) return r;
  const p = v.bodyOffset;
  const len = v.bodyLen;
  if (v.fc & WlanFc.PROTECTED) {
    if (p + 4 <= v.end) {
      const iv = le32(b, p);
      r.iv = iv & 0xffffff;
      r.keyId = iv >>> 30;
    }
    return r;
  }
  if (t !== WlanType.MGMT) return r;
  const fixed = MGMT_FIXED[sub];
  // each fixed field is shown when its bytes are there, also in a body cut short
  const u = (k: number): number | undefined => (p + k + 2 <= v.end ? le16(b, p + k) : undefined);
  const set = <K extends keyof WlanRepr>(k: K, x: WlanRepr[K] | undefined): void => {
    if (x !== undefined) r[k] = x;
  };
  if (sub === MgmtSubtype.BEACON || sub === MgmtSubtype.PROBE_RESP) {
    set('beaconInterval', u(8));
    set('capability', u(10));
  } else if (sub === MgmtSubtype.ASSOC_REQ || sub === MgmtSubtype.REASSOC_REQ) {
    set('capability', u(0));
    set('listenInterval', u(2));
    if (sub === MgmtSubtype.REASSOC_REQ && p + 10 <= v.end) r.currentAp = macText(b, p + 4);
  } else if (sub === MgmtSubtype.ASSOC_RESP || sub === MgmtSubtype.REASSOC_RESP) {
    set('capability', u(0));
    set('status', u(2));
    const aid = u(4);
    if (aid !== undefined) r.aid = aid & 0x3fff;
  } else if (sub === MgmtSubtype.AUTH) {
    set('authAlg', u(0));
    set('authSeq', u(2));
    set('status', u(4));
  } else if (sub === MgmtSubtype.DEAUTH || sub === MgmtSubtype.DISASSOC) {
    set('reason', u(0));
  } else if (sub === MgmtSubtype.ACTION) {
    if (p + 2 <= v.end) {
      r.category = b[p] ?? 0;
      r.action = b[p + 1] ?? 0;
    }
  }
  if (fixed !== undefined && p + fixed <= v.end && len >= fixed) {
    const e = wlanElements(b, p + fixed, len - fixed, v.end, true);
    if (!e.ok) r.elementsCut = true;
    if (e.ssid) r.ssid = latin1Text(e.ssid);
    if (e.rates) r.rates = Array.from(e.rates);
    if (e.dsChannel !== undefined) r.dsChannel = e.dsChannel;
    if (e.tim) r.tim = e.tim;
    r.elements = e.ids;
  }
  return r;
}

function latin1Text(a: Uint8Array): string {
  let s = '';
  for (const c of a) s += String.fromCharCode(c);
  return s;
}

/** Status codes (IEEE 802.11 table 9-50) in tcpdump's wording. */
const STATUS_TEXT: readonly string[] = [
  "Successful",
  "Unspecified failure",
  "TDLS wakeup schedule rejected but alternative schedule provided",
  "TDLS wakeup schedule rejected",
  "Reserved",
  "Security disabled",
  "Unacceptable lifetime",
  "Not in same BSS",
  "Reserved",
  "Reserved",
  "Cannot Support all requested capabilities in the Capability Information field",
  "Reassociation denied due to inability to confirm that association exists",
  "Association denied due to reason outside the scope of this standard",
  "Responding STA does not support the specified authentication algorithm",
  "Received an Authentication frame with authentication transaction sequence number out of expected sequence",
  "Authentication rejected because of challenge failure",
  "Authentication rejected due to timeout waiting for next frame in sequence",
  "Association denied because AP is unable to handle additional associated STAs",
  "Association denied due to requesting STA not supporting all of the data rates in the BSSBasicRateSet parameter, the Basic HT-MCS Set field of the HT Operation parameter, or the Basic VHT-MCS and NSS Set field in the VHT Operation parameter",
  "Association denied due to requesting STA not supporting the short preamble option",
  "Reserved",
  "Reserved",
  "Association request rejected because Spectrum Management capability is required",
  "Association request rejected because the information in the Power Capability element is unacceptable",
  "Association request rejected because the information in the Supported Channels element is unacceptable",
  "Association denied due to requesting STA not supporting the Short Slot Time option",
  "Reserved",
  "Association denied because the requested STA does not support HT features",
  "R0KH unreachable",
  "Association denied because the requesting STA does not support the phased coexistence operation (PCO) transition time required by the AP",
  "Association request rejected temporarily; try again later",
  "Robust management frame policy violation",
  "Unspecified, QoS-related failure",
  "Association denied because QoS AP or PCP has insufficient bandwidth to handle another QoS STA",
  "Association denied due to excessive frame loss rates and/or poor conditions on current operating channel",
  "Association (with QoS BSS) denied because the requesting STA does not support the QoS facility",
  "Reserved",
  "The request has been declined",
  "The request has not been successful as one or more parameters have invalid values",
  "The allocation or TS has not been created because the request cannot be honored; however, a suggested TSPEC/DMG TSPEC is provided so that the initiating STA can attempt to set another allocation or TS with the suggested changes to the TSPEC/DMG TSPEC",
  "Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9",
  "Invalid group cipher",
  "Invalid pairwise cipher",
  "Invalid AKMP",
  "Unsupported RSNE version",
  "Invalid RSNE capabilities",
  "Cipher suite rejected because of security policy",
  "The TS or allocation has not been created; however, the HC or PCP might be capable of creating a TS or allocation, in response to a request, after the time indicated in the TS Delay element",
  "Direct Link is not allowed in the BSS by policy",
  "The Destination STA is not present within this BSS",
  "The Destination STA is not a QoS STA",
  "Association denied because the listen interval is too large",
  "Invalid FT Action frame count",
  "Invalid pairwise master key identifier (PMKID)",
  "Invalid MDE",
  "Invalid FTE",
  "Requested TCLAS processing is not supported by the AP or PCP",
  "The AP or PCP has insufficient TCLAS processing resources to satisfy the request",
  "The TS has not been created because the request cannot be honored; however, the HC or PCP suggests that the STA transition to a different BSS to set up the TS",
  "GAS Advertisement Protocol not supported",
  "No outstanding GAS request",
  "GAS Response not received from the Advertisement Server",
  "STA timed out waiting for GAS Query Response",
  "LARGE GAS Response is larger than query response length limit",
  "Request refused because home network does not support request",
  "Advertisement Server in the network is not currently reachable",
  "Reserved",
  "Request refused due to permissions received via SSPN interface",
  "Request refused because the AP or PCP does not support unauthenticated access",
  "Reserved",
  "Reserved",
  "Reserved",
  "Invalid contents of RSNE",
  "U-APSD coexistence is not supported",
  "Requested U-APSD coexistence mode is not supported",
  "Requested Interval/Duration value cannot be supported with U-APSD coexistence",
  "Authentication is rejected because an Anti-Clogging Token is required",
  "Authentication is rejected because the offered finite cyclic group is not supported",
  "The TBTT adjustment request has not been successful because the STA could not find an alternative TBTT",
  "Transmission failure",
  "Requested TCLAS Not Supported",
  "TCLAS Resources Exhausted",
  "Rejected with Suggested BSS transition",
  "Reject with recommended schedule",
  "Reject because no wakeup schedule specified",
  "Success, the destination STA is in power save mode",
  "FST pending, in process of admitting FST session",
  "Performing FST now",
  "FST pending, gap(s) in block ack window",
  "Reject because of U-PID setting",
  "Reserved",
  "Reserved",
  "(Re)Association refused for some external reason",
  "(Re)Association refused because of memory limits at the AP",
  "(Re)Association refused because emergency services are not supported at the AP",
  "GAS query response not yet received",
  "Reject since the request is for transition to a frequency band subject to DSE procedures and FST Initiator is a dependent STA",
  "Requested TCLAS processing has been terminated by the AP",
  "The TS schedule conflicts with an existing schedule; an alternative schedule is provided",
  "The association has been denied; however, one or more Multi-band elements are included that can be used by the receiving STA to join the BSS",
  "The request failed due to a reservation conflict",
  "The request failed due to exceeded MAF limit",
  "The request failed due to exceeded MCCA track limit",
  "Association denied because the information in theSpectrum Management field is unacceptable",
  "Association denied because the requesting STA does not support VHT features",
  "Enablement denied",
  "Enablement denied due to restriction from an authorized GDB",
  "Authorization deenabled",
];
/** Reason codes (IEEE 802.11 table 9-49) in tcpdump's wording. */
const REASON_TEXT: readonly string[] = [
  "Reserved",
  "Unspecified reason",
  "Previous authentication no longer valid",
  "Deauthenticated because sending STA is leaving (or has left) IBSS or ESS",
  "Disassociated due to inactivity",
  "Disassociated because AP is unable to handle all currently  associated STAs",
  "Class 2 frame received from nonauthenticated STA",
  "Class 3 frame received from nonassociated STA",
  "Disassociated because sending STA is leaving (or has left) BSS",
  "STA requesting (re)association is not authenticated with responding STA",
  "Disassociated because the information in the Power Capability element is unacceptable",
  "Disassociated because the information in the Supported Channels element is unacceptable",
  "Disassociated due to BSS transition management",
  "Invalid element, i.e., an element defined in this standard for which the content does not meet the specifications in Clause 9",
  "Message integrity code (MIC) failure",
  "4-Way Handshake timeout",
  "Group key handshake timeout",
  "Information element in 4-Way Handshake different from (Re)AssociationRequest/Probe Response/Beacon frame",
  "Invalid group cipher",
  "Invalid pairwise cipher",
  "Invalid AKMP",
  "Unsupported RSNE version",
  "Invalid RSNE capabilities",
  "IEEE 802.1X authentication failed",
  "Cipher suite rejected because of the security policy",
  "TDLS direct-link teardown due to TDLS peer STA unreachable via the TDLS direct link",
  "TDLS direct-link teardown for unspecified reason",
  "Disassociated because session terminated by SSP request",
  "Disassociated because of lack of SSP roaming agreement",
  "Requested service rejected because of SSP cipher suite or AKM requirement",
  "Requested service not authorized in this location",
  "TS deleted because QoS AP lacks sufficient bandwidth for this QoS STA due to a change in BSS service characteristics or operational mode (e.g. an HT BSS change from 40 MHz channel to 20 MHz channel)",
  "Disassociated for unspecified, QoS-related reason",
  "Disassociated because QoS AP lacks sufficient bandwidth for this QoS STA",
  "Disassociated because of excessive number of frames that need to be acknowledged, but are not acknowledged due to AP transmissions and/or poor channel conditions",
  "Disassociated because STA is transmitting outside the limits of its TXOPs",
  "Requested from peer STA as the STA is leaving the BSS (or resetting)",
  "Requested from peer STA as it does not want to use the mechanism",
  "Requested from peer STA as the STA received frames using the mechanism for which a set up is required",
  "Requested from peer STA due to time out",
  "Reserved",
  "Reserved",
  "Reserved",
  "Reserved",
  "Reserved",
  "Peer STA does not support the requested cipher suite",
  "In a DLS Teardown frame: The teardown was initiated by the DLS peer. In a Disassociation frame: Disassociated because authorized access limit reached",
  "In a DLS Teardown frame: The teardown was initiated by the AP. In a Disassociation frame: Disassociated due to external service requirements",
  "Invalid FT Action frame count",
  "Invalid pairwise master key identifier (PMKID)",
  "Invalid MDE",
  "Invalid FTE",
  "Mesh peering canceled for unknown reasons",
  "The mesh STA has reached the supported maximum number of peer mesh STAs",
  "The received information violates the Mesh Configuration policy configured in the mesh STA profile",
  "The mesh STA has received a Mesh Peering Close frame requesting to close the mesh peering",
  "The mesh STA has resent dot11MeshMaxRetries Mesh Peering Open frames, without receiving a Mesh Peering Confirm frame",
  "The confirmTimer for the mesh peering instance times out",
  "The mesh STA fails to unwrap the GTK or the values in the wrapped contents do not match",
  "The mesh STA receives inconsistent information about the mesh parameters between mesh peering Management frames",
  "The mesh STA fails the authenticated mesh peering exchange because due to failure in selecting either the pairwise ciphersuite or group ciphersuite",
  "The mesh STA does not have proxy information for this external destination",
  "The mesh STA does not have forwarding information for this destination",
  "The mesh STA determines that the link to the next hop of an active path in its forwarding information is no longer usable",
  "The Deauthentication frame was sent because the MAC address of the STA already exists in the mesh BSS",
  "The mesh STA performs channel switch to meet regulatory requirements",
  "The mesh STA performs channel switching with unspecified reason",
];

const MGMT_NAMES: Readonly<Record<number, string>> = {
  0: 'Assoc Request', 1: 'Assoc Response', 2: 'ReAssoc Request', 3: 'ReAssoc Response', 4: 'Probe Request', 5: 'Probe Response',
  8: 'Beacon', 9: 'ATIM', 10: 'Disassociation', 11: 'Authentication', 12: 'DeAuthentication', 13: 'Action',
};
const CTRL_NAMES: Readonly<Record<number, string>> = {
  7: 'Control Wrapper', 8: 'BAR', 9: 'BA', 10: 'Power Save-Poll', 11: 'Request-To-Send', 12: 'Clear-To-Send', 13: 'Acknowledgment',
  14: 'CF-End', 15: 'CF-End+CF-Ack',
};
const AUTH_ALGS = ['Open System', 'Shared Key', 'EAP'];
/** Action categories tcpdump names, and the names of their actions (undefined: `Act#N` only). */
const ACTION_CATEGORIES: Readonly<Record<number, [string, readonly string[] | undefined]>> = {
  0: ['Spectrum Management ', undefined], 1: ['QoS ', undefined], 2: ['DLS ', undefined],
  3: ['BA ', ['ADDBA Request', 'ADDBA Response', 'DELBA']],
  7: ['HT ', ['TxChWidth', 'MIMOPwrSave']],
  13: ['MeshAction ', ['MeshLink', 'HWMP', 'Gate Announcement', 'Congestion Control', 'MCCA Setup Request', 'MCCA Setup Reply',
    'MCCA Advertisement Request', 'MCCA Advertisement', 'MCCA Teardown', 'TBTT Adjustment Request', 'TBTT Adjustment Response']],
  14: ['MultiohopAction ', ['Proxy Update', 'Proxy Update Confirmation']],
  15: ['SelfprotectAction ', ['', 'Peering Open', 'Peering Confirm', 'Peering Close', 'Group Key Inform', 'Group Key Acknowledge']],
  127: ['Vendor ', undefined],
};

const statusText = (s: number): string => STATUS_TEXT[s] ?? 'n/a';
const reasonText = (r: number): string => REASON_TEXT[r] ?? 'Reserved';
const TRUNC = ' [|802.11]';

/** tcpdump's fn_print_str of an SSID: up to the first NUL, unprintable bytes escaped. */
function ssidText(a: Uint8Array): string {
  let s = '';
  for (const ch of a) {
    if (ch === 0) break;
    s += safeChar(ch);
  }
  return s;
}

function ssidPart(e: WlanElements): string {
  return e.ssid ? ` (${ssidText(e.ssid)})` : '';
}

function ratesPart(e: WlanElements): string {
  if (!e.rates) return '';
  let s = '';
  for (const r of e.rates) s += `${s === '' ? ' [' : ' '}${((r & 0x7f) / 2).toFixed(1)}${r & 0x80 ? '*' : ''}`;
  return s + ' Mbit]';
}

function dsPart(e: WlanElements, cap: number): string {
  return (e.dsChannel !== undefined ? ` CH: ${e.dsChannel}` : '') + (cap & 0x10 ? ', PRIVACY' : '');
}

/** The management body after the subtype name; false when tcpdump ends it with ` [|802.11]`. */
function mgmtBody(c: Printer, v: WlanView): boolean {
  const b = v.bytes;
  const p = v.bodyOffset;
  const len = v.bodyLen;
  const has = (n: number): boolean => p + n <= v.end && len >= n;
  const els = (fixed: number): WlanElements => wlanElements(b, p + fixed, len - fixed, v.end);
  const u = (k: number): number => le16(b, p + k);
  const src = (): string => macName(c.opts, v.addr(2));
  switch (v.subtype) {
    case MgmtSubtype.BEACON:
    case MgmtSubtype.PROBE_RESP: {
      if (!has(12)) return false;
      const e = els(12);
      const beacon = v.subtype === MgmtSubtype.BEACON;
      c.s += ssidPart(e) + ratesPart(e) + (beacon ? (u(10) & 1 ? ' ESS' : ' IBSS') : '') + dsPart(e, u(10));
      return e.ok;
    }
    case MgmtSubtype.ASSOC_REQ: {
      if (!has(4)) return false;
      const e = els(4);
      c.s += ssidPart(e) + ratesPart(e);
      return e.ok;
    }
    case MgmtSubtype.ASSOC_RESP:
    case MgmtSubtype.REASSOC_RESP: {
      if (!has(6)) return false;
      const e = els(6);
      c.s += ` AID(${(u(4) & 0x3fff).toString(16)}) :${u(0) & 0x10 ? ' PRIVACY ' : ''}: ${statusText(u(2))}`;
      return e.ok;
    }
    case MgmtSubtype.REASSOC_REQ: {
      if (!has(10)) return false;
      const e = els(10);
      c.s += `${ssidPart(e)} AP : ${macName(c.opts, macText(b, p + 4))}`;
      return e.ok;
    }
    case MgmtSubtype.PROBE_REQ: {
      const e = els(0);
      c.s += ssidPart(e) + ratesPart(e);
      return e.ok;
    }
    case MgmtSubtype.ATIM:
      return true;
    case MgmtSubtype.DISASSOC:
      if (!has(2)) return false;
      c.s += `: ${reasonText(u(0))}`;
      return true;
    case MgmtSubtype.AUTH: {
      if (!has(6)) return false;
      const e = els(6);
      const alg = u(0);
      const seq = u(2);
      const st = seq % 2 ? statusText(u(4)) : '';
      const name = AUTH_ALGS[alg] ?? 'Reserved';
      if (alg === 1 && (seq === 2 || seq === 3)) c.s += ` (${name})-${seq.toString(16)} [Challenge Text] ${st}`;
      else c.s += ` (${name})-${seq.toString(16)}: ${st}`;
      return e.ok;
    }
    case MgmtSubtype.DEAUTH:
      if (!has(2)) return false;
      c.s += c.opts.linkHeader ? `: ${reasonText(u(0))}` : ` (${src()}): ${reasonText(u(0))}`;
      return true;
    case MgmtSubtype.ACTION: {
      if (!has(2)) return false;
      c.s += c.opts.linkHeader ? ': ' : ` (${src()}): `;
      const cat = b[p] ?? 0;
      const act = b[p + 1] ?? 0;
      const known = ACTION_CATEGORIES[cat];
      if (!known) c.s += `Reserved(${cat}) Act#${act}`;
      else c.s += known[0] + ((known[1]?.[act] || undefined) ?? `Act#${act}`);
      return true;
    }
    default:
      return true;
  }
}

/** tcpdump's wep_print: the IV, pad bits and key id of a protected body; false when cut. */
function wepPart(c: Printer, v: WlanView): boolean {
  const p = v.bodyOffset;
  if (p + 4 > v.end) return false;
  const iv = le32(v.bytes, p);
  c.s += ` IV:${(iv & 0xffffff).toString(16).padStart(3, ' ')} Pad ${((iv >>> 24) & 0x3f).toString(16)} KeyID ${(iv >>> 30).toString(16)}`;
  return true;
}

/** The address fields (1..4) holding a data frame's source and destination, by its To DS and From DS bits. */
export function wlanSrcDst(v: WlanView): readonly [number, number] {
  const ds = v.fc & (WlanFc.TO_DS | WlanFc.FROM_DS);
  return ds === 0 ? [2, 1] : ds === WlanFc.FROM_DS ? [3, 1] : ds === WlanFc.TO_DS ? [2, 3] : [4, 3];
}

/** The -e link header: frame-control flags and duration (with -v), mesh control, then the addresses. */
function linkHeader(c: Printer, v: WlanView): void {
  const fc = v.fc;
  const m = (a: number): string => macName(c.opts, v.addr(a));
  if (c.opts.verbose > 0) {
    if (fc & WlanFc.MORE_DATA) c.s += 'More Data ';
    if (fc & WlanFc.MORE_FRAG) c.s += 'More Fragments ';
    if (fc & WlanFc.PWR_MGMT) c.s += 'Pwr Mgmt ';
    if (fc & WlanFc.RETRY) c.s += 'Retry ';
    if (fc & WlanFc.ORDER) c.s += 'Strictly Ordered ';
    if (fc & WlanFc.PROTECTED) c.s += 'Protected ';
    if (v.type !== WlanType.CTRL || v.subtype !== CtrlSubtype.PS_POLL) c.s += `${v.duration}us `;
  }
  if (v.meshLen !== 0) {
    const b = v.bytes;
    const q = v.bodyOffset - v.meshLen;
    const ae = (b[q] ?? 0) & 3;
    c.s += `MeshData (AE ${ae} TTL ${b[q + 1] ?? 0} seq ${le32(b, q + 2)}`;
    for (let k = 0; k < ae; k++) c.s += ` A${4 + k}:${macName(c.opts, macText(b, q + 6 + 6 * k))}`;
    c.s += ') ';
  }
  const sub = v.subtype;
  switch (v.type) {
    case WlanType.MGMT:
      c.s += `BSSID:${m(3)} DA:${m(1)} SA:${m(2)} `;
      break;
    case WlanType.CTRL:
      if (sub === CtrlSubtype.BAR) c.s += ` RA:${m(1)} TA:${m(2)} ${barFields(v)}`;
      else if (sub === CtrlSubtype.PS_POLL) c.s += `BSSID:${m(1)} TA:${m(2)} `;
      else if (sub === CtrlSubtype.RTS) c.s += `RA:${m(1)} TA:${m(2)} `;
      else if (sub === CtrlSubtype.CF_END || sub === CtrlSubtype.CF_END_ACK) c.s += `RA:${m(1)} BSSID:${m(2)} `;
      else if (sub !== CtrlSubtype.WRAPPER) c.s += `RA:${m(1)} `;
      break;
    case WlanType.DATA: {
      if (sub & 0xb) {
        c.s += 'CF ';
        if (sub & 1) c.s += sub & 2 ? 'Ack/Poll' : 'Ack';
        else if (sub & 2) c.s += 'Poll';
        if (sub & 8) c.s += '+QoS';
        c.s += ' ';
      }
      const ds = fc & 0x0300;
      if (ds === 0) c.s += `DA:${m(1)} SA:${m(2)} BSSID:${m(3)} `;
      else if (ds === WlanFc.FROM_DS) c.s += `DA:${m(1)} BSSID:${m(2)} SA:${m(3)} `;
      else if (ds === WlanFc.TO_DS) c.s += `BSSID:${m(1)} SA:${m(2)} DA:${m(3)} `;
      else c.s += `RA:${m(1)} TA:${m(2)} DA:${m(3)} SA:${m(4)} `;
      break;
    }
  }
}

/** tcpdump's default print: hex and ASCII lines of 16 bytes, `\n\t0x0000:  xxxx ...  ascii`. */
export function defaultPrint(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let line = 0; line < n; line += 16) {
    let hex = '';
    let asc = '';
    for (let k = line; k < Math.min(n, line + 16); k++) {
      const ch = b[o + k] ?? 0;
      hex += (k % 2 === 0 ? ' ' : '') + ch.toString(16).padStart(2, '0');
      asc += ch > 0x20 && ch < 0x7f ? String.fromCharCode(ch) : '.';
    }
    s += `\n\t0x${line.toString(16).padStart(4, '0')}: ${hex.padEnd(40, ' ')}  ${asc}`;
  }
  return s;
}

function barFields(v: WlanView): string {
  return `CTL(${le16(v.bytes, v.offset + 16).toString(16)}) SEQ(${le16(v.bytes, v.offset + 18)}) `;
}

/** tcpdump's 802.11 text: the -e header, then the management or control body, or the LLC payload. */
export function printWlan(c: Printer, v: WlanView, i: number): void {
  if (v.status === DecodeStatus.Malformed && v.headerLen === 0) {
    c.s += v.type === WlanType.CTRL ? `unknown 802.11 ctrl frame subtype (${v.subtype})` : `unknown 802.11 frame type (${v.type})`;
    return;
  }
  if (v.status !== DecodeStatus.Ok) {
    c.s += TRUNC;
    return;
  }
  if (c.opts.linkHeader) linkHeader(c, v);
  const m = (a: number): string => macName(c.opts, v.addr(a));
  switch (v.type) {
    case WlanType.MGMT: {
      c.s += MGMT_NAMES[v.subtype] ?? `Unhandled Management subtype(${v.subtype.toString(16)})`;
      const ok = v.fc & WlanFc.PROTECTED ? wepPart(c, v) : mgmtBody(c, v);
      if (!ok) c.s += TRUNC;
      return;
    }
    case WlanType.CTRL: {
      const sub = v.subtype;
      c.s += CTRL_NAMES[sub] ?? 'Unknown Ctrl Subtype';
      if (sub === CtrlSubtype.PS_POLL) c.s += ` AID(${v.duration.toString(16)})`;
      else if (c.opts.linkHeader || sub === CtrlSubtype.WRAPPER) return;
      else if (sub === CtrlSubtype.BAR) c.s += ` RA:${m(1)} TA:${m(2)} ${barFields(v)}`;
      else if (sub === CtrlSubtype.RTS) c.s += ` TA:${m(2)} `;
      else c.s += ` RA:${m(1)} `;
      return;
    }
    default: {
      if (v.subtype & 4) return;
      if (v.fc & WlanFc.PROTECTED) {
        c.s += 'Data';
        if (!wepPart(c, v)) c.s += TRUNC;
        return;
      }
      const p = c.parser;
      if (p.kinds[i + 1] !== Layer.Llc) return;
      if (p.status[i + 1] === DecodeStatus.Ok) {
        // tcpdump takes the FCS off the frame's length before the payload is printed (IPv4's
        // "truncated-ip" and the like measure what is left of the wire length): so does the packet
        // here, for the payload only
        const pkt = c.pkt;
        const wire = pkt.wireLen;
        pkt.wireLen = wire - v.fcsLen;
        try {
          c.layer(i + 1, v.bodyLen);
        } finally {
          pkt.wireLen = wire;
        }
      } else {
        // tcpdump's LLC printer dumps what it could not read, whatever the -x/-X flags
        c.s += ' [|llc]' + defaultPrint(v.bytes, v.bodyOffset, v.end - v.bodyOffset);
      }
    }
  }
}

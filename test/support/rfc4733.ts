// Writes a pcap of RFC 4733 telephone-event packets for SIPp's play_pcap_audio. Unlike SIPp's
// stock dtmf_2833_*.pcap files, each digit gets its own, increasing RTP timestamp, so Asterisk
// accepts repeated digits ("1001").
import { writeFileSync } from 'node:fs';

const EVENT_CODES: Record<string, number> = { '*': 10, '#': 11 };
const PAYLOAD_TYPE = 101;
const PACKET_MS = 20;
const TONE_MS = 100;
/**
 * Between two keys, as a person leaves it. Asterisk 22 publishes ChannelDtmfReceived a second time for
 * a key it defers (read within 45 ms of the previous key's end, or while it stretches a key it measured
 * shorter than 80 ms: main/channel.c sends the event before re-queueing the frame). A channel thread
 * that stalls for longer than a tone and a gap reads two keys in one burst and does that: a longer gap
 * takes a longer stall, which a machine running eight test files at once makes rare.
 */
const GAP_MS = 300;

/**
 * `part` numbers the pcaps played in one call: sequence numbers and timestamps must keep
 * increasing across them, or Asterisk takes the later digits for stale packets.
 */
export function rfc4733Pcap(path: string, digits: string, part = 0): number {
  const packets: Array<{ atMs: number; rtp: Buffer }> = [];
  let seq = 1000 + part * 1000;
  let timestamp = 160_000 + part * 8_000 * 120;
  let atMs = 0;
  for (const digit of digits) {
    const event = EVENT_CODES[digit] ?? Number(digit);
    if (!Number.isInteger(event) || event < 0 || event > 11) throw new Error(`not a DTMF digit: ${digit}`);
    for (let elapsed = PACKET_MS; elapsed <= TONE_MS; elapsed += PACKET_MS) {
      packets.push({ atMs, rtp: rtpEvent(seq++, timestamp, event, elapsed * 8, false, elapsed === PACKET_MS) });
      atMs += PACKET_MS;
    }
    for (let i = 0; i < 3; i++) packets.push({ atMs: atMs + i, rtp: rtpEvent(seq++, timestamp, event, TONE_MS * 8, true, false) });
    atMs += GAP_MS;
    timestamp += (TONE_MS + GAP_MS) * 8;
  }
  writeFileSync(path, pcap(packets));
  return atMs;
}

function rtpEvent(seq: number, timestamp: number, event: number, duration: number, end: boolean, marker: boolean): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 0x80;
  b[1] = (marker ? 0x80 : 0) | PAYLOAD_TYPE;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(0x5eed1e55, 8);
  b[12] = event;
  b[13] = (end ? 0x80 : 0) | 10; // volume -10 dBm0
  b.writeUInt16BE(duration, 14);
  return b;
}

export function pcap(packets: Array<{ atMs: number; rtp: Buffer }>): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  const records = packets.map(({ atMs, rtp }) => {
    const frame = ethernetIpUdp(rtp);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(atMs / 1000), 0);
    rec.writeUInt32LE((atMs % 1000) * 1000, 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    return Buffer.concat([rec, frame]);
  });
  return Buffer.concat([header, ...records]);
}

function ethernetIpUdp(payload: Buffer): Buffer {
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x0800, 12);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 17;
  Buffer.from([127, 0, 0, 1]).copy(ip, 12);
  Buffer.from([127, 0, 0, 1]).copy(ip, 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  ip.writeUInt16BE(~sum & 0xffff, 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(6000, 0);
  udp.writeUInt16BE(6002, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([eth, ip, udp, payload]);
}

// A pcap of steady background noise as G.711 A-law RTP, for SIPp's play_pcap_audio: the "street" or
// "fan" a noise-source test needs (SIPp ships speech only).
import { writeFileSync } from 'node:fs';
import { pcap } from './rfc4733.js';

const PAYLOAD_PCMA = 8;
const SAMPLES_PER_PACKET = 160; // 20 ms at 8 kHz

/** ITU-T G.711 A-law for one 16-bit sample. */
function alaw(sample: number): number {
  const sign = sample >= 0 ? 0x80 : 0;
  let magnitude = Math.min(Math.abs(sample), 32635) >> 3;
  let exponent = 0;
  if (magnitude >= 32) {
    exponent = 1;
    while (magnitude >= 64 && exponent < 7) {
      magnitude >>= 1;
      exponent++;
    }
    magnitude = (magnitude >> 1) & 0x0f;
  } else {
    magnitude >>= 1;
  }
  return (sign | (exponent << 4) | magnitude) ^ 0x55;
}

/** `seconds` of noise at about `rmsDb` dBFS, without a pause; returns its length in ms. */
export function noisePcap(path: string, seconds: number, rmsDb = -20): number {
  const amplitude = 32768 * 10 ** (rmsDb / 20) * Math.sqrt(3); // uniform noise: rms = peak / sqrt(3)
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) * 2 - 1;
  const packets: Array<{ atMs: number; rtp: Buffer }> = [];
  const count = Math.round((seconds * 1000) / 20);
  for (let i = 0; i < count; i++) {
    const rtp = Buffer.alloc(12 + SAMPLES_PER_PACKET);
    rtp[0] = 0x80;
    rtp[1] = (i === 0 ? 0x80 : 0) | PAYLOAD_PCMA;
    rtp.writeUInt16BE((5000 + i) & 0xffff, 2);
    rtp.writeUInt32BE((80_000 + i * SAMPLES_PER_PACKET) >>> 0, 4);
    rtp.writeUInt32BE(0x0a15e000, 8);
    for (let s = 0; s < SAMPLES_PER_PACKET; s++) rtp[12 + s] = alaw(Math.round(random() * amplitude));
    packets.push({ atMs: i * 20, rtp });
  }
  writeFileSync(path, pcap(packets));
  return count * 20;
}

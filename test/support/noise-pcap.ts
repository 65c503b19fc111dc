// Pcaps of G.711 A-law RTP for SIPp's play_pcap_audio: steady noise (the "street" or "fan" a
// noise-source test needs; SIPp ships speech only), a tone, a line's silence, and SIPp's speech clip
// back to back as one stream.
import { readFileSync, writeFileSync } from 'node:fs';
import { pcap } from './rfc4733.js';

const PAYLOAD_PCMU = 0;
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
  return g711Pcap(path, seconds, { seq: 5000, timestamp: 80_000, ssrc: 0x0a15e000 }, PAYLOAD_PCMA, () => alaw(Math.round(random() * amplitude)));
}

/** `seconds` of a steady sine tone at `hz` and about `rmsDb` dBFS, without a pause; returns its length in ms. */
export function tonePcap(path: string, seconds: number, hz: number, rmsDb = -20): number {
  const amplitude = 32768 * 10 ** (rmsDb / 20) * Math.SQRT2; // a sine: rms = peak / sqrt(2)
  return g711Pcap(path, seconds, { seq: 7000, timestamp: 40_000, ssrc: 0x0a15e001 }, PAYLOAD_PCMA, (n) => alaw(Math.round(amplitude * Math.sin((2 * Math.PI * hz * n) / 8000))));
}

/**
 * `seconds` of digital silence (μ-law 0xFF decodes to exactly 0, A-law has no zero): what a phone with
 * nobody speaking still sends. Asterisk hangs up a leg that sends no RTP for rtp_timeout (60 s).
 */
export function silencePcap(path: string, seconds: number): number {
  return g711Pcap(path, seconds, { seq: 9000, timestamp: 8_000_000, ssrc: 0x0a15e002 }, PAYLOAD_PCMU, () => 0xff);
}

/**
 * SIPp's recorded speech (`clip`, a pcap of 30 ms A-law packets) `times` over as one RTP stream, as a
 * phone that talks on sends it: sequence numbers and timestamps run on. Playing the clip again and
 * again restarts both every 7 s, and Asterisk under load let the last 10 ms before such a jump into
 * the mix through a VOLUME(RX) mute (README, "Flaky tests"). Returns its length in ms.
 */
export function repeatedSpeechPcap(path: string, clip: string, times: number): number {
  const payloads = rtpPayloads(readFileSync(clip));
  const stream = Array.from({ length: payloads.length * times }, (_, i) => payloads[i % payloads.length]!);
  return g711Stream(path, { seq: 3000, timestamp: 160_000, ssrc: 0x0a15e003 }, PAYLOAD_PCMA, stream);
}

/** The RTP payloads of a pcap of Ethernet/IPv4/UDP frames (what SIPp ships), in order. */
function rtpPayloads(file: Buffer): Buffer[] {
  const payloads: Buffer[] = [];
  for (let offset = 24; offset + 16 <= file.length; ) {
    const length = file.readUInt32LE(offset + 8);
    const frame = file.subarray(offset + 16, offset + 16 + length);
    const udp = 14 + (frame[14]! & 0x0f) * 4;
    payloads.push(frame.subarray(udp + 8 + 12));
    offset += 16 + length;
  }
  return payloads;
}

/** `byte(n)` is the G.711 byte of sample n. */
function g711Pcap(path: string, seconds: number, start: RtpStart, payloadType: number, byte: (n: number) => number): number {
  const count = Math.round((seconds * 1000) / 20);
  const payloads = Array.from({ length: count }, (_, i) => Buffer.from(Array.from({ length: SAMPLES_PER_PACKET }, (_, s) => byte(i * SAMPLES_PER_PACKET + s))));
  return g711Stream(path, start, payloadType, payloads);
}

interface RtpStart {
  readonly seq: number;
  readonly timestamp: number;
  readonly ssrc: number;
}

/** One RTP stream of G.711 payloads (a byte a sample, 8 kHz), back to back; returns its length in ms. */
function g711Stream(path: string, start: RtpStart, payloadType: number, payloads: readonly Buffer[]): number {
  const packets: Array<{ atMs: number; rtp: Buffer }> = [];
  let samples = 0;
  payloads.forEach((payload, i) => {
    const rtp = Buffer.alloc(12 + payload.length);
    rtp[0] = 0x80;
    rtp[1] = (i === 0 ? 0x80 : 0) | payloadType;
    rtp.writeUInt16BE((start.seq + i) & 0xffff, 2);
    rtp.writeUInt32BE((start.timestamp + samples) >>> 0, 4);
    rtp.writeUInt32BE(start.ssrc, 8);
    payload.copy(rtp, 12);
    packets.push({ atMs: samples / 8, rtp });
    samples += payload.length;
  });
  writeFileSync(path, pcap(packets));
  return samples / 8;
}

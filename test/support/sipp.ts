// A real SIP caller: SIPp runs a scenario generated for one call (dial the access number,
// press keys, optionally stream speech), then hangs up or is hung up on.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repeatedSpeechPcap } from './noise-pcap.js';
import { rfc4733Pcap } from './rfc4733.js';
import { appHeader, callerPorts, MEDIA_OFFSET } from './test-slot.js';
import { spawnTied } from './tied.js';

export const ACCESS_NUMBER = '14255550100';
export const SPEECH_PCAP = '/usr/share/sip-tester/g711a.pcap';
/** One play of SIPp's speech clip: 236 packets of 30 ms. */
export const SPEECH_MS = 7_080;

export interface KeyPress {
  /** Pause before these keys, from the end of the previous step. */
  readonly afterMs: number;
  readonly keys: string;
}

export interface CallerScript {
  readonly keys?: readonly KeyPress[];
  readonly dtmf?: 'info' | 'rfc4733';
  /** Stream recorded speech this many times, back to back, once the keys are sent. */
  readonly speech?: number;
  /**
   * After the keys: put the call on hold (re-INVITE a=sendonly) after `afterMs`, and resume it `forMs`
   * later; `music` is a pcap the phone plays while holding (what a PBX's hold music would be).
   */
  readonly hold?: { readonly afterMs: number; readonly forMs: number; readonly music?: string };
  /** Stream this pcap (e.g. noisePcap's) once the keys are sent; `ms` is how long it plays. */
  readonly audio?: { readonly pcap: string; readonly ms: number };
  /** How long to stay on the line after the keys (and speech) before hanging up, unless hung up on. */
  readonly holdMs: number;
  readonly number?: string;
  readonly callerId?: string;
  /** The caller-ID name (default 'Test Caller'); '' sends none, as many carriers' calls arrive. */
  readonly callerName?: string;
  /** Calls from a user's SIP device: answers Asterisk's digest challenge with these credentials (From is the username). */
  readonly device?: { readonly username: string; readonly password: string };
}

export interface CallerResult {
  /** Asterisk sent BYE (the caller was released by parley), as opposed to the caller hanging up. */
  readonly hungUpByBridge: boolean;
  readonly exitCode: number;
  readonly log: string;
  /** SIPp's own count of successful and failed calls (its final screen), when the load asked for it. */
  readonly calls?: { readonly successful: number; readonly failed: number };
}

export interface Caller {
  readonly done: Promise<CallerResult>;
  kill(): void;
}

/** Many callers running the same script: SIPp starts `count` calls at `perSecond`. */
export interface Load {
  readonly count: number;
  readonly perSecond: number;
  /** Keep SIPp's final statistics screen and report its call counts (a bench's storm). */
  readonly stats?: boolean;
  /** SIPp gives up after this long in all (default 180 s; a soak holds its callers longer). */
  readonly timeoutSeconds?: number;
  /** Where the calls go (default the access number's SIP address, 127.0.0.1:5060): a cluster's node, say. */
  readonly target?: string;
}


export function placeCall(script: CallerScript, load: Load = { count: 1, perSecond: 1 }): Caller {
  const dir = mkdtempSync(join(tmpdir(), 'parley-sipp-'));
  const scenario = join(dir, 'caller.xml');
  writeFileSync(scenario, scenarioXml(script, dir));
  const sipPort = callerPorts();
  const logFile = join(dir, 'actions.log');
  const child = spawnTied(
    'sipp',
    [
      load.target ?? '127.0.0.1:5060', '-sf', scenario, '-m', String(load.count), '-l', String(load.count),
      '-r', String(load.perSecond), '-rp', '1000',
      // A storm's SIP socket with the default 208 KB dropped answers when SIPp was short of CPU: a caller
      // whose INFO went unanswered sent no more keys. 4 MB, the kernel's rmem_max here.
      '-buff_size', '4194304',
      '-i', '127.0.0.1', '-p', String(sipPort), '-mp', String(sipPort + MEDIA_OFFSET),
      '-s', script.number ?? ACCESS_NUMBER,
      // After an authenticated INVITE (CSeq 2) the dialog's next requests must number above it.
      ...(script.device ? ['-base_cseq', '10'] : []),
      '-nostdin', '-timeout', `${load.timeoutSeconds ?? 180}s`, '-timeout_error',
      '-trace_logs', '-log_file', logFile, '-trace_err', '-error_file', join(dir, 'errors.log'),
      ...(load.stats ? ['-trace_screen', '-screen_file', join(dir, 'screen.log')] : []),
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CallerResult>((resolve) => {
    child.on('exit', (code) => {
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      const errors = existsSync(join(dir, 'errors.log')) ? readFileSync(join(dir, 'errors.log'), 'utf8') : '';
      const screen = existsSync(join(dir, 'screen.log')) ? readFileSync(join(dir, 'screen.log'), 'utf8') : '';
      resolve({ hungUpByBridge: log.includes('remote-bye'), exitCode: code ?? -1, log: log + errors + stderr, ...callCounts(screen) });
    });
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

/** "Successful call | periodic | cumulative" and the same for failed calls, from SIPp's final screen. */
function callCounts(screen: string): Pick<CallerResult, 'calls'> {
  const cumulative = (label: string) => /\|\s*\d+\s*\|\s*(\d+)/.exec(screen.slice(screen.lastIndexOf(label)))?.[1];
  const successful = cumulative('Successful call');
  const failed = cumulative('Failed call');
  return successful === undefined || failed === undefined ? {} : { calls: { successful: Number(successful), failed: Number(failed) } };
}

/**
 * Dials while parley is away: expects early media (183) and then a 503 without the call ever being
 * answered. Resolves with how long the caller listened before the 503.
 */
export async function probeUnavailable(): Promise<{ exitCode: number; listenedMs: number; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-sipp-'));
  const scenario = join(dir, 'unavailable.xml');
  writeFileSync(
    scenario,
    `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley unavailable">
<send retrans="500"><![CDATA[
${inviteHeaders('+14255550199')}
]]></send>
<recv response="100" optional="true"/>
<recv response="183"/>
<nop><action><exec command="date +%s%3N > ${dir}/early-media"/></action></nop>
<recv response="503"/>
<nop><action><exec command="date +%s%3N > ${dir}/released"/></action></nop>
<send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
</scenario>
`,
  );
  const sipPort = callerPorts();
  const child = spawnTied(
    'sipp',
    ['127.0.0.1:5060', '-sf', scenario, '-m', '1', '-i', '127.0.0.1', '-p', String(sipPort), '-mp', String(sipPort + MEDIA_OFFSET), '-s', ACCESS_NUMBER,
      '-nostdin', '-timeout', '30s', '-timeout_error', '-trace_err', '-error_file', join(dir, 'errors.log')],
    { cwd: dir, stdio: 'ignore' },
  );
  const exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  // SIPp's exec actions run in the background: the last timestamp may land just after it exits.
  for (let i = 0; i < 20 && exitCode === 0 && !read('released').trim(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const listenedMs = Number(read('released')) - Number(read('early-media'));
  return { exitCode, listenedMs, log: read('errors.log') };
}

function inviteHeaders(from: string, extra = '', name = 'Test Caller'): string {
  return `INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: ${name ? `"${name}" ` : ''}<sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
${appHeader}${extra}Content-Type: application/sdp
Content-Length: [len]

${sdp(0)}`;
}

/** The caller's SDP offer; each new offer in the dialog needs the next `version`. */
function sdp(version: number, direction?: 'sendonly' | 'sendrecv'): string {
  return `v=0
o=caller 53655765 ${2353687637 + version} IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 0 101
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=ptime:20${direction ? `\na=${direction}` : ''}`;
}

function scenarioXml(script: CallerScript, dir: string): string {
  const steps: string[] = [];
  let pcapIndex = 0;
  for (const press of script.keys ?? []) {
    steps.push(pause(press.afterMs));
    if (script.dtmf === 'rfc4733') {
      const file = join(dir, `dtmf-${pcapIndex}.pcap`);
      const ms = rfc4733Pcap(file, press.keys, pcapIndex++);
      steps.push(playPcap(file), pause(ms + 100));
    } else {
      for (const key of press.keys) steps.push(info(key), '<recv response="200"/>', pause(250));
    }
  }
  if (script.hold) {
    const { afterMs, forMs, music } = script.hold;
    steps.push(pause(afterMs), reinvite('sendonly', 2), ...(music ? [playPcap(music)] : []), pause(forMs), reinvite('sendrecv', 3));
  }
  if (script.speech) {
    const file = join(dir, 'speech.pcap');
    steps.push(playPcap(file), pause(repeatedSpeechPcap(file, SPEECH_PCAP, script.speech)));
  }
  if (script.audio) steps.push(playPcap(script.audio.pcap), pause(script.audio.ms));
  const from = script.device?.username ?? script.callerId ?? '+14255550199';
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley caller">
<send retrans="500"><![CDATA[
${inviteHeaders(from, '', script.callerName)}
]]></send>
${script.device ? digestRetry(script.device) : ''}
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
<recv response="200" rtd="true" rrs="true"/>
${ack(script.device ? '2' : '1')}
${steps.join('\n')}
<recv request="BYE" timeout="${Math.round(script.holdMs)}" ontimeout="hangup"/>
<send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0

]]></send>
<nop><action><log message="remote-bye"/></action></nop>
<nop next="end"/>
<label id="hangup"/>
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: [cseq] BYE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200"/>
<label id="end"/>
</scenario>
`;
}

/** Asterisk challenges a device's INVITE (401): the ACK for it, then the INVITE again with the digest. */
function digestRetry(device: { username: string; password: string }): string {
  return `<recv response="100" optional="true"/>
<recv response="401" auth="true"/>
<send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
[last_Via:]
[last_From:]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
<send retrans="500"><![CDATA[
${inviteHeaders(device.username).replace('CSeq: 1 INVITE', `CSeq: 2 INVITE\n[authentication username=${device.username} password=${device.password}]`)}
]]></send>`;
}

function pause(ms: number): string {
  return `<pause milliseconds="${Math.max(0, Math.round(ms))}"/>`;
}

/** The ACK for a 2xx to an INVITE: CSeq 1 for the first, the re-INVITE's own for later ones. */
function ack(cseq: string): string {
  return `<send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: ${cseq} ACK
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>`;
}

/** An in-dialog re-INVITE changing the media direction (hold: sendonly; resume: sendrecv), then its ACK. */
function reinvite(direction: 'sendonly' | 'sendrecv', version: number): string {
  return `<send retrans="500"><![CDATA[
INVITE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: [cseq] INVITE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${sdp(version, direction)}
]]></send>
<recv response="100" optional="true"/>
<recv response="200"/>
${ack('[cseq]')}`;
}

function playPcap(file: string): string {
  return `<nop><action><exec play_pcap_audio="${file}"/></action></nop>`;
}

function info(key: string): string {
  return `<send><![CDATA[
INFO [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: [cseq] INFO
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/dtmf-relay
Content-Length: [len]

Signal=${key}
Duration=160
]]></send>`;
}

export interface InviteProbe {
  /** The final answer to the INVITE: 200, or the refusal's status (401, 403, ...); 0 if none came. */
  readonly status: number;
  readonly log: string;
}

/**
 * One INVITE from `localIp` with `fromUser` in From, no credentials: how Asterisk answers it. A 2xx is
 * ACKed and hung up at once; a refusal is ACKed.
 */
export async function probeInvite(options: { localIp: string; fromUser: string; number?: string; target?: string; header?: string }): Promise<InviteProbe> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-sipp-'));
  const scenario = join(dir, 'probe.xml');
  const refusals = [401, 403, 404, 407, 486, 488, 503, 603];
  const ackRefusal = `<send><![CDATA[
ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>`;
  writeFileSync(
    scenario,
    `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley invite probe">
<send retrans="500"><![CDATA[
${inviteHeaders(options.fromUser, options.header ? `${options.header}\n` : '')}
]]></send>
<recv response="100" optional="true"/>
<recv response="180" optional="true"/>
<recv response="183" optional="true"/>
${refusals.map((status) => `<recv response="${status}" optional="true" next="r${status}"/>`).join('\n')}
<recv response="200" rtd="true" rrs="true"/>
<nop><action><log message="final-200"/></action></nop>
${ack('1')}
<send retrans="500"><![CDATA[
BYE [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
[last_From:]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 2 BYE
Contact: <sip:caller@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200"/>
<nop next="end"/>
${refusals.map((status) => `<label id="r${status}"/>\n<nop><action><log message="final-${status}"/></action></nop>\n${ackRefusal}\n<nop next="end"/>`).join('\n')}
<label id="end"/>
</scenario>
`,
  );
  const sipPort = callerPorts();
  const logFile = join(dir, 'actions.log');
  const child = spawnTied(
    'sipp',
    [options.target ?? `127.0.0.1:5060`, '-sf', scenario, '-m', '1', '-i', options.localIp, '-p', String(sipPort), '-mp', String(sipPort + MEDIA_OFFSET),
      '-s', options.number ?? ACCESS_NUMBER, '-nostdin', '-timeout', '20s', '-timeout_error',
      '-trace_logs', '-log_file', logFile, '-trace_err', '-error_file', join(dir, 'errors.log')],
    { cwd: dir, stdio: 'ignore' },
  );
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  const final = /final-(\d{3})/.exec(read('actions.log'));
  return { status: final ? Number(final[1]) : 0, log: read('actions.log') + read('errors.log') };
}

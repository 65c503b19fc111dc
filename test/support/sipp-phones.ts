// Phones that parley calls: a SIPp user-agent server standing in for the PSTN gateway (or for one
// registered phone). What each call does is read from the dialled number's last three digits, so one
// SIPp serves every behaviour a test needs at once:
//   …486 busy · …603 declines · …503 fails · …480 rings until cancelled · …200 answers and presses 1
//   (then, as a phone does, sends its line's silence until the call ends)
//   …201 rings 3 s, then answers and presses 1 · …202 answers and never presses anything (voicemail)
//   …204 answers, presses nothing, hangs up after 2 s
// Every outcome is logged per number, so a test can ask what each number saw (e.g. a CANCEL).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silencePcap } from './noise-pcap.js';
import { rfc4733Pcap } from './rfc4733.js';
import { callerPorts, MEDIA_OFFSET, phonesMediaPort, phonesPort } from './test-slot.js';
import { spawnTied } from './tied.js';


export type PhoneEvent = 'ringing' | 'answered' | 'pressed-1' | 'cancelled' | 'busy' | 'declined' | 'failed' | 'bye' | 'hung-up';

export interface Phones {
  /** What happened to calls to `number`, in order (several calls to one number run together). */
  events(number: string): PhoneEvent[];
  /** The From header of the last INVITE to `number` (the caller ID parley sent). */
  from(number: string): string | undefined;
  /** The Diversion header of the last INVITE to `number` ('' without one): whom a forwarded call was for. */
  diversion(number: string): string | undefined;
  stop(): Promise<void>;
}

/** Starts the phone network on 127.0.0.1:`port`; resolves once SIPp is listening. */
export async function startPhones(port = phonesPort): Promise<Phones> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-phones-'));
  rfc4733Pcap(join(dir, 'press-1.pcap'), '1');
  silencePcap(join(dir, 'line.pcap'), LINE_SECONDS);
  const scenario = join(dir, 'phones.xml');
  writeFileSync(scenario, scenarioXml(dir, true));
  const logFile = join(dir, 'phones.log');
  const child = spawnTied(
    'sipp',
    ['-sf', scenario, '-i', '127.0.0.1', '-p', String(port), '-mp', String(phonesMediaPort(port)), '-nostdin', '-trace_logs', '-log_file', logFile, '-trace_err', '-error_file', join(dir, 'errors.log')],
    { cwd: dir, stdio: 'ignore' },
  );
  await listening(port, () => child.exitCode !== null, dir);
  const read = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const lines = () => read().split('\n').map((line) => /PHONE (\S+) (\S+)(?: (.*))?$/.exec(line)).filter((m) => m !== null);
  return {
    events: (number) => lines().filter((m) => digits(m[1]!) === digits(number) && !NOT_EVENTS.has(m[2]!)).map((m) => m[2] as PhoneEvent),
    from: (number) => lines().filter((m) => digits(m[1]!) === digits(number) && m[2] === 'from').at(-1)?.[3],
    diversion: (number) => lines().filter((m) => digits(m[1]!) === digits(number) && m[2] === 'diversion').at(-1)?.[3] ?? undefined,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** How long a phone that pressed 1 keeps its line open with silence (a silent line is hung up after 60 s). */
const LINE_SECONDS = 300;

const digits = (number: string) => number.replace(/\D/g, '');
/** Log lines that describe a call rather than tell what happened to it. */
const NOT_EVENTS = new Set(['from', 'registered', 'reason', 'diversion']);

export interface Device {
  /** What happened to calls to this phone, in order. */
  events(): PhoneEvent[];
  /** The SIP cause in each CANCEL's Reason header (200: answered elsewhere), '' without one. */
  cancelReasons(): string[];
  stop(): Promise<void>;
}

/**
 * A SIP phone registered with Asterisk as `username`: it registers its contact as `sip:<contact>@…`,
 * and `contact` (a number, e.g. +1000480) says what it does when called, as for the phone network.
 */
export async function registerDevice(options: { username: string; password: string; contact: string; port?: number }): Promise<Device> {
  const port = options.port ?? callerPorts();
  const dir = mkdtempSync(join(tmpdir(), 'parley-device-'));
  rfc4733Pcap(join(dir, 'press-1.pcap'), '1');
  // Keeps its line alive by echoing (-rtp_echo below), not with a stream of its own beside the echo.
  writeFileSync(join(dir, 'phones.xml'), scenarioXml(dir, false));
  writeFileSync(join(dir, 'register.xml'), registerXml(options.username, options.contact));
  const logFile = join(dir, 'phones.log');
  const child = spawnTied(
    'sipp',
    ['127.0.0.1:5060', '-sf', join(dir, 'register.xml'), '-oocsf', join(dir, 'phones.xml'), '-m', '1', '-i', '127.0.0.1', '-p', String(port), '-mp', String(port + MEDIA_OFFSET),
      // Sends back the audio it gets, as a phone with someone on it would: a silent leg is hung up by Asterisk's rtp_timeout.
      '-rtp_echo',
      '-au', options.username, '-ap', options.password, '-nostdin', '-trace_logs', '-log_file', logFile, '-trace_err', '-error_file', join(dir, 'errors.log')],
    { cwd: dir, stdio: 'ignore' },
  );
  const read = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  for (let i = 0; !read().includes(' registered'); i++) {
    if (i > 100 || child.exitCode !== null) throw new Error(`the device ${options.username} did not register: ${existsSync(join(dir, 'errors.log')) ? readFileSync(join(dir, 'errors.log'), 'utf8').slice(-2000) : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    events: () => read().split('\n').map((line) => /PHONE (\S+) (\S+)/.exec(line)).filter((m) => m !== null && !NOT_EVENTS.has(m[2]!)).map((m) => m![2] as PhoneEvent),
    cancelReasons: () => [...read().matchAll(/PHONE \S+ reason (\S*)/g)].map((m) => m[1]!),
    stop: async () => {
      child.kill('SIGKILL');
    },
  };
}

function registerXml(username: string, contact: string): string {
  const register = (cseq: number, auth: string) => `<send retrans="500"><![CDATA[
REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: <sip:${username}@[remote_ip]>;tag=[pid]reg[call_number]
To: <sip:${username}@[remote_ip]>
Call-ID: [call_id]
CSeq: ${cseq} REGISTER
Contact: <sip:${contact}@[local_ip]:[local_port]>
${auth}Max-Forwards: 70
Expires: 3600
Content-Length: 0

]]></send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley device">
${register(1, '')}
<recv response="401" auth="true"/>
${register(2, '[authentication]\n')}
<recv response="200"/>
<nop><action><log message="PHONE ${contact} registered"/></action></nop>
<pause milliseconds="3600000"/>
</scenario>
`;
}

/** Resolves once something listens on 127.0.0.1:`port` (UDP), as SIPp does when its scenario is loaded. */
async function listening(port: number, exited: () => boolean, dir: string): Promise<void> {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (let i = 0; i < 100; i++) {
    if (exited()) throw new Error(`the SIPp phone network exited: ${existsSync(join(dir, 'errors.log')) ? readFileSync(join(dir, 'errors.log'), 'utf8').slice(-2000) : ''}`);
    if (readFileSync('/proc/net/udp', 'utf8').includes(` ${local} `)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the SIPp phone network did not start');
}

const log = (event: string, extra = '') => `<nop><action><log message="PHONE [$number] ${event}${extra}"/></action></nop>`;

function respond(code: string, withSdp = false): string {
  return `<send${withSdp ? ' retrans="500"' : ''}><![CDATA[
SIP/2.0 ${code}
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
Contact: <sip:phone@[local_ip]:[local_port];transport=[transport]>
${withSdp ? `Content-Type: application/sdp
Content-Length: [len]

v=0
o=phone 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 0 8 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=ptime:20` : 'Content-Length: 0\n'}
]]></send>`;
}

function finalRefusal(label: string, code: string, event: PhoneEvent): string {
  return `<label id="${label}"/>
${respond(code)}
<recv request="ACK"/>
${log(event)}
<nop next="end"/>`;
}

/** `lineSilence`: after pressing 1 the phone sends its line's silence (line.pcap in `dir`). */
function scenarioXml(dir: string, lineSilence: boolean): string {
  const match = (suffix: string, variable: string) =>
    `<ereg regexp="^INVITE sip:\\+?[0-9]*${suffix}@" search_in="msg" check_it="false" assign_to="${variable}"/>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley phones">
<recv request="INVITE">
  <action>
    <ereg regexp="^INVITE sip:(\\+?[0-9]+)@" search_in="msg" check_it="true" assign_to="junk,number"/>
    <ereg regexp="From: ([^\\r\\n]*)" search_in="msg" check_it="false" assign_to="junk,fromhdr"/>
    <ereg regexp="Diversion: ([^\\r\\n]*)" search_in="msg" check_it="false" assign_to="junk,diversionhdr"/>
    <ereg regexp="Contact: *&lt;?([^&gt;;\\r\\n]*)" search_in="msg" check_it="false" assign_to="junk,contact"/>
    <ereg regexp="CSeq: *([0-9]+) INVITE" search_in="msg" check_it="false" assign_to="junk,invitecseq"/>
    ${match('486', 'busy')}
    ${match('603', 'decline')}
    ${match('503', 'fail')}
    ${match('480', 'ringforever')}
    ${match('201', 'delayed')}
    ${match('202', 'voicemail')}
    ${match('204', 'hangup')}
  </action>
</recv>
<nop><action><log message="PHONE [$number] from [$fromhdr]"/></action></nop>
<nop><action><log message="PHONE [$number] diversion [$diversionhdr]"/></action></nop>
${respond('100 Trying')}
<nop next="busy" test="busy"/>
<nop next="decline" test="decline"/>
<nop next="fail" test="fail"/>
${respond('180 Ringing')}
${log('ringing')}
<nop next="ringforever" test="ringforever"/>
<nop next="answer" test="delayed"/>
<nop next="answer_now"/>
<label id="answer"/>
<pause milliseconds="3000"/>
<label id="answer_now"/>
${respond('200 OK', true)}
<recv request="ACK">
  <action>
    <ereg regexp="\\nTo: *([^\\r\\n]*)" search_in="msg" check_it="false" assign_to="junk,us"/>
    <ereg regexp="\\nFrom: *([^\\r\\n]*)" search_in="msg" check_it="false" assign_to="junk,them"/>
  </action>
</recv>
${log('answered')}
<nop next="hangup" test="hangup"/>
<nop next="wait_bye" test="voicemail"/>
<pause milliseconds="2500"/>
<nop><action><exec play_pcap_audio="${dir}/press-1.pcap"/></action></nop>
${log('pressed-1')}
<pause milliseconds="500"/>
${lineSilence ? `<nop><action><exec play_pcap_audio="${dir}/line.pcap"/></action></nop>` : ''}
<label id="wait_bye"/>
<recv request="BYE" timeout="300000" ontimeout="end"/>
${respond('200 OK')}
${log('bye')}
<nop next="end"/>
<label id="hangup"/>
<pause milliseconds="2000"/>
<send retrans="500"><![CDATA[
BYE [$contact] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: [$us]
To: [$them]
Call-ID: [call_id]
CSeq: 1 BYE
Max-Forwards: 70
Content-Length: 0

]]></send>
<recv response="200"/>
${log('hung-up')}
<nop next="end"/>
<label id="ringforever"/>
<recv request="CANCEL">
  <action>
    <ereg regexp="Reason: *SIP *; *cause=([0-9]+)" search_in="msg" check_it="false" assign_to="junk,cause"/>
  </action>
</recv>
${respond('200 OK')}
${log('cancelled')}
<nop><action><log message="PHONE [$number] reason [$cause]"/></action></nop>
<send><![CDATA[
SIP/2.0 487 Request Terminated
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
CSeq: [$invitecseq] INVITE
Content-Length: 0

]]></send>
<recv request="ACK"/>
<nop next="end"/>
${finalRefusal('busy', '486 Busy Here', 'busy')}
${finalRefusal('decline', '603 Decline', 'declined')}
${finalRefusal('fail', '503 Service Unavailable', 'failed')}
<label id="end"/>
</scenario>
`;
}

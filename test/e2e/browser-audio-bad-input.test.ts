// The browsers' SIP WebSocket (/sip-ws) from the outside, without a browser: garbage, an INVITE nobody
// authenticated, and an authenticated offer with no codec in common are each refused cleanly; nothing is
// left in Asterisk or on the roster, and parley keeps answering.
import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ari } from '../support/ari.js';
import { roster } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';

const parley = useParley();

interface SipSocket {
  send(message: string): void;
  /** The next SIP response (its status and headers), or undefined if none comes in `ms`. */
  response(ms?: number): Promise<{ status: number; text: string } | undefined>;
  readonly closed: Promise<number>;
  close(): void;
}

async function sipSocket(): Promise<SipSocket> {
  const ws = new WebSocket(`${parley().url.replace(/^http/, 'ws')}/sip-ws`, 'sip');
  const inbox: string[] = [];
  const waiters: Array<(text: string) => void> = [];
  ws.on('message', (data) => {
    const text = data.toString();
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else inbox.push(text);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    send: (message) => ws.send(message.replace(/\n/g, '\r\n')),
    async response(ms = 5000) {
      for (;;) {
        const text =
          inbox.shift() ??
          (await new Promise<string | undefined>((resolve) => {
            const timer = setTimeout(() => resolve(undefined), ms);
            waiters.push((t) => (clearTimeout(timer), resolve(t)));
          }));
        if (text === undefined) return undefined;
        const status = /^SIP\/2\.0 (\d{3})/.exec(text);
        // Provisional answers (100 Trying) are not the answer.
        if (status && Number(status[1]) >= 200) return { status: Number(status[1]), text };
      }
    },
    closed,
    close: () => ws.close(),
  };
}

/** An INVITE as a browser sends it over the WebSocket; `sdp` is its offer. */
function invite(from: string, to: string, callId: string, cseq: number, sdp: string, authorization = ''): string {
  return `INVITE ${to} SIP/2.0
Via: SIP/2.0/WS b4dc0de.invalid;branch=z9hG4bK${randomBytes(6).toString('hex')};rport
Max-Forwards: 70
To: <${to}>
From: <sip:${from}@parley.invalid>;tag=${callId.slice(0, 8)}
Call-ID: ${callId}
CSeq: ${cseq} INVITE
Contact: <sip:${from}@b4dc0de.invalid;transport=ws>
${authorization}Content-Type: application/sdp
Content-Length: ${Buffer.byteLength(sdp.replace(/\n/g, '\r\n'))}

${sdp}`;
}

/** A WebRTC offer with only G.729 in it: a codec parley's Asterisk does not have. */
const G729_ONLY = `v=0
o=- 4611731400430051336 2 IN IP4 127.0.0.1
s=-
t=0 0
m=audio 9 UDP/TLS/RTP/SAVPF 18
c=IN IP4 0.0.0.0
a=rtcp:9 IN IP4 0.0.0.0
a=ice-ufrag:abcd
a=ice-pwd:abcdefghijklmnopqrstuvwx
a=fingerprint:sha-256 ${Array.from({ length: 32 }, () => 'AB').join(':')}
a=setup:actpass
a=mid:0
a=sendrecv
a=rtcp-mux
a=rtpmap:18 G729/8000
`;

/** Asterisk's channels of one endpoint (other test files' browsers may be in calls meanwhile). */
async function channelsOf(endpoint: string): Promise<string[]> {
  return ((await ari('GET', '/channels')) as Array<{ name: string }>).map((c) => c.name).filter((name) => name.startsWith(`PJSIP/${endpoint}-`));
}

describe('the browsers’ SIP WebSocket refuses bad input cleanly', () => {
  it('survives garbage: text that is no SIP gets no answer, a binary frame closes the socket, parley keeps answering', async () => {
    const socket = await sipSocket();
    socket.send('hello, is this SIP?\n\n');
    socket.send(`${randomBytes(300).toString('base64')}\n\n`);
    expect(await socket.response(1500)).toBeUndefined();
    socket.close();

    const binary = new WebSocket(`${parley().url.replace(/^http/, 'ws')}/sip-ws`, 'sip');
    await new Promise((resolve) => binary.once('open', resolve));
    binary.send(randomBytes(64));
    expect(await new Promise((resolve) => binary.on('close', resolve))).toBe(1003);

    // Without the sip subprotocol the socket is closed at once.
    const plain = new WebSocket(`${parley().url.replace(/^http/, 'ws')}/sip-ws`);
    expect(await new Promise((resolve) => plain.on('close', resolve))).toBe(1002);

    expect((await parley().api('GET', '/health')).status).toBe(200);
  });

  it('closes the socket on an INVITE or REGISTER from no browser session (never taken for the gateway by its address), and challenges one from a session', async () => {
    const m = (await parley().api('POST', '/api/v1/conferences', { subject: 'WS test', passcode: null })).body as { id: string; conferenceId: string };
    // Asterisk sees the relay's loopback address, the gateway's here (GATEWAY_MATCH 127.0.0.1/32): a
    // request matched by address would be the carrier's, with no password asked.
    for (const from of ['web-0000000000000000', 'gateway', '+14255550123']) {
      const socket = await sipSocket();
      socket.send(invite(from, `sip:${m.conferenceId}@127.0.0.1`, randomBytes(8).toString('hex'), 1, G729_ONLY));
      expect(await socket.closed, from).toBe(1008);
    }
    // Nor a REGISTER (a browser session registers nothing).
    const registering = await sipSocket();
    registering.send(`REGISTER sip:127.0.0.1 SIP/2.0
Via: SIP/2.0/WS b4dc0de.invalid;branch=z9hG4bK${randomBytes(6).toString('hex')}
Max-Forwards: 70
To: <sip:gateway@127.0.0.1>
From: <sip:gateway@127.0.0.1>;tag=r1
Call-ID: ${randomBytes(8).toString('hex')}
CSeq: 1 REGISTER
Contact: <sip:gateway@b4dc0de.invalid;transport=ws>
Expires: 600
Content-Length: 0

`);
    expect(await registering.closed).toBe(1008);
    // A live session's INVITE without its password is challenged.
    const created = await parley().api('POST', '/api/v1/users', { displayName: 'Una', email: 'una@example.com', sipUri: 'sip:una@example.com', region: 'US', password: 'ws bad input 2' });
    expect(created.status).toBe(201);
    const session = (await parley().api('POST', '/api/v1/sessions', { email: 'una@example.com', password: 'ws bad input 2' })).body as { token: string };
    const mine = (await parley().api('POST', '/api/v1/conferences', { subject: 'WS una', passcode: null, leaders: ['una@example.com'] }, { authorization: `Bearer ${session.token}` })).body as { id: string };
    const grant = (await parley().api('POST', `/api/v1/conferences/${mine.id}/browser-audio`, undefined, { authorization: `Bearer ${session.token}` })).body as { username: string; sipUri: string };
    const socket = await sipSocket();
    socket.send(invite(grant.username, grant.sipUri, randomBytes(8).toString('hex'), 1, G729_ONLY));
    expect((await socket.response())?.status).toBe(401);
    socket.close();
    for (const endpoint of ['web-0000000000000000', grant.username]) expect(await channelsOf(endpoint), endpoint).toEqual([]);
    expect(await roster(parley(), m.id)).toEqual([]);
    expect(await roster(parley(), mine.id)).toEqual([]);
  });

  it('answers an authenticated offer with no codec in common 488, leaving nothing behind', async () => {
    const password = 'ws bad input 1';
    await parley().api('POST', '/api/v1/users', { displayName: 'Wes', email: 'wes@example.com', sipUri: 'sip:wes@example.com', region: 'US', password });
    const session = (await parley().api('POST', '/api/v1/sessions', { email: 'wes@example.com', password })).body as { token: string };
    const auth = { authorization: `Bearer ${session.token}` };
    const m = (await parley().api('POST', '/api/v1/conferences', { subject: 'WS codecs', passcode: null, leaders: ['wes@example.com'] }, auth)).body as { id: string };
    const grant = (await parley().api('POST', `/api/v1/conferences/${m.id}/browser-audio`, undefined, auth)).body as { username: string; password: string; sipUri: string };
    expect(grant.username).toMatch(/^web-/);

    const socket = await sipSocket();
    const callId = randomBytes(8).toString('hex');
    socket.send(invite(grant.username, grant.sipUri, callId, 1, G729_ONLY));
    const challenge = await socket.response();
    expect(challenge?.status).toBe(401);
    const nonce = /nonce="([^"]+)"/.exec(challenge!.text)![1]!;
    const realm = /realm="([^"]+)"/.exec(challenge!.text)![1]!;
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    const cnonce = randomBytes(8).toString('hex');
    const response = md5(`${md5(`${grant.username}:${realm}:${grant.password}`)}:${nonce}:00000001:${cnonce}:auth:${md5(`INVITE:${grant.sipUri}`)}`);
    const authorization = `Authorization: Digest username="${grant.username}", realm="${realm}", nonce="${nonce}", uri="${grant.sipUri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"\n`;
    socket.send(invite(grant.username, grant.sipUri, callId, 2, G729_ONLY, authorization));
    expect((await socket.response())?.status).toBe(488);
    socket.close();

    expect(await channelsOf(grant.username)).toEqual([]);
    expect(await roster(parley(), m.id)).toEqual([]);
  });
});

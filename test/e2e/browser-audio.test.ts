// Audio from the browser (issue 15): real Chromium with a fake microphone playing recorded speech joins
// over WebRTC (SIP.js over parley's /sip-ws WebSocket, DTLS-SRTP) into the real Asterisk. A signed-in
// leader joins from the panel, a guest from an invitation's join page; both are on the roster as voip,
// the speaker shows talking, a phone caller in the same conference hears the browser (a snoop on the
// phone's line, measured by sox), a leader's mute silences the browser in the bridge recording, and
// leaving ends the leg.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ari, bridgeAudioReport, recordBridge, recordHeardBy } from '../support/ari.js';
import { useAriWatch } from '../support/ari-watch.js';
import { roster } from '../support/attendant-e2e.js';
import { fakeMicrophone, useChromium } from '../support/browser.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const watch = useAriWatch();
const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

/** Ten seconds of speech (espeak-ng), 48 kHz 16-bit mono as Chromium's fake microphone wants it; it loops. */
function speechWav(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mic-'));
  const raw = join(dir, 'raw.wav');
  const wav = join(dir, 'speech.wav');
  execFileSync('espeak-ng', ['-w', raw, '-s', '150', 'Good morning everyone. This is the browser speaking, loud and clear, for the whole conference to hear. One two three four five six seven eight nine ten.']);
  execFileSync('sox', [raw, '-r', '48000', '-b', '16', '-c', '1', wav, 'gain', '-n', '-3']);
  return wav;
}
const microphone = speechWav();
const browser = useChromium(() => fakeMicrophone(microphone));

async function signedInUser(name: string, email: string, password: string) {
  const created = await parley().api('POST', '/api/v1/users', { displayName: name, email, sipUri: `sip:${email}`, region: 'US', password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const session = await parley().api('POST', '/api/v1/sessions', { email, password });
  return { id: created.body.id as string, auth: { authorization: `Bearer ${session.body.token as string}` } };
}

const connected = async (meetingId: string) => (await roster(parley(), meetingId)).filter((p) => p.state === 'connected');

/** The browser's channel (PJSIP/web-…) in a conference's bridge. */
async function browserChannelIn(meetingId: string): Promise<string> {
  const bridge = await ari<{ channels: string[] }>('GET', `/bridges/parley-${meetingId}`);
  for (const id of bridge.channels) {
    const channel = await ari<{ name: string }>('GET', `/channels/${id}`);
    if (channel.name.startsWith('PJSIP/web-')) return id;
  }
  throw new Error('no browser in the bridge');
}

/** Whether Asterisk still has the channel. */
const exists = (channelId: string) => ari('GET', `/channels/${channelId}`).then(() => true, () => false);

describe('joining from a browser', () => {
  it('a signed-in leader joins from the panel: on the roster as voip, talking, muted by a leader in the mix, gone when they leave', async () => {
    const password = 'browser audio 1';
    await signedInUser('Ann Lee', 'ann@example.com', password);
    const m = (await parley().api('POST', '/api/v1/conferences', { subject: 'Browser test', passcode: '97531', leaders: ['ann@example.com'] })).body as { id: string; conferenceId: string };

    // A phone caller first, silent: the browser is what the bridge carries.
    const phone = placeCall({ callerId: '+12065550851', keys: [{ afterMs: 1000, keys: `${m.conferenceId}#97531#` }], holdMs: 90_000 });
    await eventually(async () => expect(await connected(m.id)).toHaveLength(1), 25_000);

    const page = await browser().newPage({ viewport: { width: 900, height: 700 } });
    try {
      await page.goto(`${parley().url}/panel/${m.id}`);
      await page.fill('#email', 'ann@example.com');
      await page.fill('#password', password);
      await page.click('#sign-in-form button[type=submit]');
      await page.locator('#connection', { hasText: 'Live' }).waitFor();

      const clicked = Date.now();
      await page.click('#browser-audio-join');
      const ann = await eventually(async () => {
        const mine = (await connected(m.id)).find((p) => p.displayName === 'Ann Lee');
        expect(mine).toMatchObject({ via: 'voip', role: 'leader' });
        return mine!;
      }, 20_000);
      console.log(`browser join, click → connected on the roster: ${Date.now() - clicked} ms`);
      await page.locator('#browser-audio-status', { hasText: 'You are in the conference' }).waitFor({ timeout: 10_000 });
      await eventually(async () => expect((await connected(m.id)).find((p) => p.id === ann.id)?.talking).toBe(true), 15_000).catch(async (error: unknown) => {
        throw new Error(`the browser was never seen talking: ${String(error)}\n${await bridgeAudioReport(`parley-${m.id}`)}`);
      });
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'browser-audio-panel.png'), fullPage: true });

      const bridgeId = `parley-${m.id}`;
      const open = await recordBridge(bridgeId, 3000);
      expect(open.peakRmsDb, 'the browser is heard in the bridge').toBeGreaterThan(-45);
      // Opus, as Chromium offers it first.
      const web = await browserChannelIn(m.id);
      expect((await ari<{ value: string }>('GET', `/channels/${web}/variable?variable=${encodeURIComponent('CHANNEL(audionativeformat)')}`)).value).toContain('opus');
      // And by the phone caller: what Asterisk sends to the phone's line.
      // (The phone's line is the other channel of this conference's bridge: other files' callers share the Asterisk.)
      const phoneLine = (await ari<{ channels: string[] }>('GET', `/bridges/${bridgeId}`)).channels.find((id) => id !== web)!;
      const heard = await recordHeardBy(phoneLine, watch.app, 3000);
      expect(heard.peakRmsDb, 'the phone caller hears the browser').toBeGreaterThan(-45);

      expect((await parley().api('PATCH', `/api/v1/conferences/${m.id}/participants/${ann.id}`, { muted: true })).status).toBe(200);
      const muted = await recordBridge(bridgeId, 3000, { skipMs: 500 });
      // Silent: no sample above -60 dBFS (a phone's muted line records as exact zeros; after Opus, a
      // stray sample of 1/32768 was seen once).
      expect(muted.maxLevel, 'a leader’s mute silences the browser').toBeLessThan(0.001);

      await page.click('#browser-audio-leave');
      await eventually(async () => expect((await roster(parley(), m.id)).find((p) => p.id === ann.id)?.state).toBe('disconnected'), 10_000);
      await eventually(async () => expect(await exists(web)).toBe(false), 10_000);
      await page.locator('#browser-audio-join').waitFor({ state: 'visible' });
    } finally {
      await page.close();
      phone.kill();
    }
    // Its waits add up to more than the default minute on a machine running eight files at once.
  }, 150_000);

  it('a guest joins from an invitation’s join page under the name they type, with nothing to key, mutes, and is removed by the leader', async () => {
    const ann = await signedInUser('Ann Guestless', 'ann.g@example.com', 'browser audio 2');
    const made = await parley().api('POST', '/api/v1/audio-conferences', { conversationId: 'im-browser', callMe: { phone: '+14255550480' }, participants: [{ email: 'pat@contoso.example', displayName: 'Pat' }] }, ann.auth);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const { conference, invitations } = made.body as { conference: { id: string }; invitations: Array<{ id: string }> };

    const page = await browser().newPage({ viewport: { width: 420, height: 800 } });
    try {
      await page.goto(`${parley().url}/join/${invitations[0]!.id}`);
      await page.locator('#details').waitFor();
      // Who asked, and when: an add-audio conference is open now.
      expect(await page.textContent('#organizer')).toBe('Ann Guestless');
      expect(await page.textContent('#when')).toBe('Now');
      await page.fill('#browser-audio-name', 'Pat from Contoso');
      await page.click('#browser-audio-join');
      const pat = await eventually(async () => {
        const mine = (await connected(conference.id)).find((p) => p.displayName === 'Pat from Contoso');
        expect(mine).toMatchObject({ via: 'voip', role: 'participant' });
        return mine!;
      }, 20_000);
      await page.locator('#browser-audio-status', { hasText: 'You are in the conference' }).waitFor({ timeout: 10_000 });
      const web = await browserChannelIn(conference.id);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'browser-audio-join-page.png'), fullPage: true });

      // Mute from the page is the conference's own self-mute: the roster shows it.
      await page.click('#browser-audio-mute');
      await eventually(async () => expect((await connected(conference.id)).find((p) => p.id === pat.id)).toMatchObject({ muted: true, mutedBy: 'self' }), 10_000);

      // The leader removes the guest: the page is told, the leg ends in Asterisk.
      expect((await parley().api('DELETE', `/api/v1/conferences/${conference.id}/participants/${pat.id}`, undefined, ann.auth)).status).toBeLessThan(300);
      // The closing prompt plays first (a few seconds), then the BYE.
      await page.locator('#browser-audio-status', { hasText: 'You have left the conference audio' }).waitFor({ timeout: 20_000 });
      await page.locator('#browser-audio-join').waitFor({ state: 'visible' });
      expect((await roster(parley(), conference.id)).find((p) => p.id === pat.id)).toMatchObject({ state: 'disconnected', endReason: 'ejected' });
      await eventually(async () => expect(await exists(web)).toBe(false), 10_000);
    } finally {
      await page.close();
    }
  });
});

// Every locale on a real Asterisk: the attendant greets in the access number's language (the
// files Asterisk plays exist for it and are not silent), offers the others after silence, and
// greets a returning caller in the language they chose.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/domain/locales.js';
import { useAriWatch } from '../support/ari-watch.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();
const ari = useAriWatch();

const root = process.env.PARLEY_ASTERISK_ROOT ?? '/var/cache/parley/asterisk-root';
const asteriskLanguage = (locale: string) => locale.replace('-', '_');

/** The host path of a file inside the Asterisk root, following the root's absolute symlinks (sounds/en_US -> en_US_f_Allison). */
function inRoot(path: string): string {
  let resolved = root;
  for (const part of path.split('/').filter(Boolean)) {
    resolved = join(resolved, part);
    for (let hops = 0; hops < 10 && existsSync(resolved) === false && isLink(resolved); hops++) {
      const target = readlinkSync(resolved);
      resolved = isAbsolute(target) ? join(root, target) : join(dirname(resolved), target);
    }
    if (isLink(resolved)) {
      const target = readlinkSync(resolved);
      resolved = isAbsolute(target) ? join(root, target) : join(dirname(resolved), target);
    }
  }
  return resolved;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** RMS level of a 16 kHz signed-linear file, in dB (silence is -inf). */
function rmsDb(file: string): number {
  const sox = spawnSync('sox', ['-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1', file, '-n', 'stats'], { encoding: 'utf8' });
  const match = /^RMS lev dB\s+(-?[\d.]+|-inf)/m.exec(sox.stderr);
  return match?.[1] === '-inf' || !match ? -Infinity : Number(match[1]);
}

async function accessNumber(number: string, primaryLanguage: string, secondaryLanguages: string[] = []) {
  const created = await parley().api('POST', '/api/v1/access-numbers', { number, display: `+${number}`, region: 'US', primaryLanguage, secondaryLanguages });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
}

describe('the attendant in every language', () => {
  it('greets each of the 14 locales in its own language, with files that exist and are not silent', async () => {
    const numbers = LOCALES.map((locale, i) => ({ locale, number: `1800555${String(1000 + i)}`, callerId: `+1206555${String(2000 + i)}` }));
    for (const { locale, number } of numbers) await accessNumber(number, locale);

    const callers = numbers.map(({ number, callerId }) => placeCall({ number, callerId, holdMs: 6000 }));
    await Promise.all(callers.map((c) => c.done));

    for (const { locale, callerId } of numbers) {
      const played = ari.playedTo(callerId);
      expect(played[0], `${locale}: ${JSON.stringify(played)}`).toMatchObject({ media: 'sound:parley/welcome', language: asteriskLanguage(locale) });
      for (const key of ['welcome', 'enter-conference-id']) {
        const file = inRoot(`/usr/share/asterisk/sounds/${asteriskLanguage(locale)}/parley/${key}.sln16`);
        expect(existsSync(file), file).toBe(true);
        expect(rmsDb(file), file).toBeGreaterThan(-40);
      }
    }
  });

  it('offers the secondary languages, each in its own language, when the caller says nothing; the choice holds and is remembered', async () => {
    await accessNumber('18005559100', 'en-US', ['fr-FR', 'de-DE']);
    const { body: meeting } = await parley().api('POST', '/api/v1/conferences', { subject: 'Sprachen', passcode: null });
    const callerId = '+12065559100';
    // Silence through the greeting and the question (6.6 s) and the 5 s wait for a first key; the offer
    // then runs from 11.6 s to 16.3 s and waits 5 s more: 2 for German in the middle of that window, which
    // a busy machine only moves later. Then the ID.
    const caller = placeCall({
      number: '18005559100',
      callerId,
      keys: [
        { afterMs: 16_000, keys: '2' },
        { afterMs: 4_000, keys: `${meeting.conferenceId}#` },
        { afterMs: 5_000, keys: '#' },
      ],
      holdMs: 4000,
    });
    await eventually(async () => {
      const roster = (await parley().api('GET', `/api/v1/conferences/${meeting.id}/participants`)).body;
      expect(roster).toMatchObject([{ state: 'connected' }]);
    }, 40_000);
    await caller.done;

    const played = ari.playedTo(callerId).map((p) => `${p.media} ${p.language}`);
    expect(played.slice(0, 3)).toEqual([
      'sound:parley/welcome en_US',
      'sound:parley/enter-conference-id en_US',
      'sound:parley/language-1 fr_FR',
    ]);
    // The offer may be cut short by the key (barge-in); after it, everything is in German.
    const afterChoice = played.slice(played.indexOf('sound:parley/enter-conference-id de_DE'));
    expect(afterChoice.length).toBeGreaterThan(1);
    expect(afterChoice.every((p) => p.endsWith('de_DE'))).toBe(true);

    // Next time, the same caller is greeted in German straight away.
    const again = placeCall({ number: '18005559100', callerId, holdMs: 3000 });
    await again.done;
    const second = ari.playedTo(callerId).slice(played.length);
    expect(second[0]).toMatchObject({ media: 'sound:parley/welcome', language: 'de_DE' });
  }, 90_000);
});

// Active speaker and noise source from real talk detection: one line streams steady noise (a street),
// another joins and speaks over it. The noise line is marked, the speaker is not, and the speaker gets
// the floor once the noise is known for what it is.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { meeting, roster } from '../support/attendant-e2e.js';
import { useParley } from '../support/e2e.js';
import { eventually } from '../support/eventually.js';
import { noisePcap } from '../support/noise-pcap.js';
import { placeCall } from '../support/sipp.js';

const parley = useParley();

it('marks the line that keeps sounding while someone else speaks, and gives the floor to the speaker', async () => {
  const m = await meeting(parley(), { passcode: '55443' });
  const keys = [{ afterMs: 1000, keys: `${m.conferenceId}#55443#` }];
  const street = join(mkdtempSync(join(tmpdir(), 'parley-noise-')), 'street.pcap');
  const ms = noisePcap(street, 45);
  const noisy = placeCall({ callerId: '+12065550901', keys, audio: { pcap: street, ms }, holdMs: 1000 });
  const [streetLine] = await eventually(async () => {
    const rows = await roster(parley(), m.id);
    expect(rows).toMatchObject([{ state: 'connected', talking: true }]);
    return rows;
  }, 30_000);
  const speaker = placeCall({ callerId: '+12065550902', keys, speech: 3, holdMs: 1000 });
  const live = async () => (await parley().api('GET', `/api/v1/conferences/${m.id}/live`)).body as {
    conference: { activeSpeakerId: string | null };
    participants: Array<{ id: string; noisy: boolean; talking: boolean }>;
  };
  const marked = await eventually(async () => {
    const now = await live();
    expect(now.participants.find((p) => p.id === streetLine!.id)).toMatchObject({ noisy: true });
    return now;
  }, 40_000);
  const speakerLine = marked.participants.find((p) => p.id !== streetLine!.id)!;
  expect(speakerLine.noisy).toBe(false);
  await eventually(async () => expect((await live()).conference.activeSpeakerId).toBe(speakerLine.id), 10_000);
  noisy.kill();
  speaker.kill();
}, 120_000);

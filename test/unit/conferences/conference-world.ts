// Shared set-up for the conference parts' unit tests: a world with one active conference.
import { randomUUID } from 'node:crypto';
import type { Conference } from '../../../src/domain/conference.js';
import type { ParticipantState } from '../../../src/domain/participant.js';
import { world, type World } from '../harness.js';

/** A caller in the given state: a live call (unless `gone`) and its participant row. */
export async function participantIn(
  w: World,
  conference: Conference,
  { state = 'connected', gone = false }: { state?: ParticipantState; gone?: boolean } = {},
) {
  const call = w.telephony.newCall();
  const participant = w.participants.seed({
    id: randomUUID(),
    conferenceId: conference.id,
    channelId: call.id,
    state,
    joinedAt: state === 'connecting' ? null : new Date(),
  });
  if (state === 'connected') {
    const bridge = w.bridgeOf(conference);
    await bridge.open();
    await bridge.add(call.id);
  }
  if (gone) call.hangUp();
  return { call, participant };
}

export function setUp() {
  const w = world();
  const conference = w.conferences.seed({ conferenceId: '1234567', status: 'active' });
  return { ...w, conference, bridge: w.bridgeOf(conference) };
}

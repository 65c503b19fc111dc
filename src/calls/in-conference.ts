import { commandReader, commandsFor, type CommandKey, type CommandSpec } from '../domain/keypad.js';
import type { Participant } from '../domain/participant.js';
import type { Attendance } from '../conferences/attendance.js';
import type { ConferenceEntry } from '../conferences/entry.js';
import type { Lobby } from '../conferences/lobby.js';
import type { Moderation } from '../conferences/moderation.js';
import type { Muting } from '../conferences/muting.js';
import type { Log } from '../ports/log.js';
import type { Call, Playback, Prompt } from '../ports/telephony.js';
import { keyed, numberPrompt, PROMPTS } from '../prompts/catalog.js';
import { untilEnded } from './wait.js';

/** What a caller in the conference reaches: their keypad commands, talk and hold, and leaving. */
export interface InConferenceParts {
  readonly entry: Pick<ConferenceEntry, 'participant' | 'present'>;
  readonly muting: Pick<Muting, 'toggleSelfMute' | 'toggleAudienceMute' | 'setTalking' | 'setHeld'>;
  readonly moderation: Pick<Moderation, 'toggleLock' | 'toggleAnnouncements' | 'audited'>;
  readonly lobby: Pick<Lobby, 'admit'>;
  readonly attendance: Pick<Attendance, 'leave'>;
}

/** A muted caller who talks is reminded at most this often. */
const MUTED_REMINDER_MS = 30_000;

/** While the caller is in the conference: their keypad commands, until they hang up or are removed. */
export async function inConference(
  call: Call,
  participant: Participant,
  conferences: InConferenceParts,
  commandKey: CommandKey = '*',
  log?: Log,
): Promise<void> {
  // Keys and talk events run detached from the call flow: a failure is logged, never left unhandled.
  const failed = (what: string) => (error: unknown) => log?.warn({ err: error, participant: participant.id, what }, 'in-conference action failed');
  const read = commandReader(commandKey);
  let lastReminder = 0;
  let speaking: Playback | undefined;
  // A new command cuts the private prompt still playing (a long help list) short.
  const say = (prompts: readonly Prompt[]) => {
    if (prompts.length === 0) return;
    speaking?.stop().catch(failed('stop a prompt'));
    speaking = call.play(prompts);
  };
  const stopKeys = call.onDigit((digit) => {
    const result = read(digit, Date.now());
    if (!result) return;
    if ('unknown' in result) return say([keyed('unknown-command', commandKey)]);
    void command(result.command, participant.id, conferences, commandKey)
      .then(say)
      .catch(failed(result.command.command));
  });
  const stopTalking = call.watchTalking((talking) => {
    void conferences.muting
      .setTalking(participant, talking)
      .then((now) => {
        if (!talking || !now?.muted || Date.now() - lastReminder < MUTED_REMINDER_MS) return;
        lastReminder = Date.now();
        say([keyed('still-muted', commandKey)]);
      })
      .catch(failed('talk detection'));
  });
  const stopHold = call.onHold((held) => {
    void conferences.muting.setHeld(participant.id, held).catch(failed('hold'));
  });
  try {
    await untilEnded(call.ended);
  } finally {
    stopKeys();
    stopTalking();
    stopHold();
    await conferences.attendance.leave(participant);
  }
}

/** Runs one command and returns what the caller hears privately. */
async function command(
  spec: CommandSpec,
  participantId: string,
  conferences: InConferenceParts,
  commandKey: CommandKey,
): Promise<readonly Prompt[]> {
  const me = await conferences.entry.participant(participantId);
  if (!me || me.state !== 'connected') return [];
  const leader = me.role === 'leader';
  if (spec.leaderOnly && !leader) return [PROMPTS.leaderOnly];
  switch (spec.command) {
    case 'help':
      return [PROMPTS.helpIntro, ...commandsFor(leader).map((c) => keyed(`help-${c.digit}`, commandKey))];
    case 'roll-call':
      return rollCall(await conferences.entry.present(me.conferenceId));
    case 'self-mute': {
      const outcome = await conferences.muting.toggleSelfMute(participantId);
      return outcome === 'refused' ? [PROMPTS.cannotUnmute] : [];
    }
    case 'audience-mute': {
      const muted = await conferences.muting.toggleAudienceMute(me.conferenceId);
      await conferences.moderation.audited(me, muted ? 'audience-mute' : 'audience-unmute');
      return [muted ? PROMPTS.audienceMuted : PROMPTS.audienceUnmuted];
    }
    case 'lock': {
      const locked = await conferences.moderation.toggleLock(me.conferenceId);
      await conferences.moderation.audited(me, locked ? 'lock' : 'unlock');
      return [locked ? PROMPTS.meetingLocked : PROMPTS.meetingUnlocked];
    }
    case 'admit-lobby': {
      const admitted = await conferences.lobby.admit(me.conferenceId);
      await conferences.moderation.audited(me, 'admit', { admitted });
      return [admitted > 0 ? PROMPTS.lobbyAdmittedAll : PROMPTS.lobbyEmpty];
    }
    case 'announcements': {
      const on = await conferences.moderation.toggleAnnouncements(me.conferenceId);
      await conferences.moderation.audited(me, on ? 'announcements-on' : 'announcements-off');
      return [on ? PROMPTS.announcementsOn : PROMPTS.announcementsOff];
    }
  }
}

/** "People in this meeting: 4. The people in this meeting are: <names>, and some callers who did not record a name." */
function rollCall(present: readonly Participant[]): Prompt[] {
  const names = present.flatMap((p) => (p.nameRecording ? [p.nameRecording] : []));
  const prompts: Prompt[] = [PROMPTS.participantCount, numberPrompt(present.length)];
  if (names.length > 0) prompts.push(PROMPTS.rollCall, ...names);
  if (names.length < present.length) prompts.push(PROMPTS.rollCallOthers);
  return prompts;
}

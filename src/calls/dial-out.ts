import { randomUUID } from 'node:crypto';
import type { DialOutScope } from '../domain/dial-out-policy.js';
import { DomainError } from '../domain/errors.js';
import type { PhoneKind, Principal } from '../domain/user.js';
import type { Conference } from '../domain/conference.js';
import type { Participant, ParticipantRole } from '../domain/participant.js';
import { stillLive } from '../domain/roster.js';
import type { Attendance } from '../conferences/attendance.js';
import type { ConferenceEntry } from '../conferences/entry.js';
import type { LeaderControl } from '../conferences/leader-control.js';
import type { Log } from '../ports/log.js';
import type { Metrics } from '../ports/metrics.js';
import type { NameVoice } from '../ports/name-voice.js';
import type { JobLock } from '../ports/jobs.js';
import type { ParticipantStore } from '../ports/store.js';
import type { DialOutGuard } from '../directory/dial-out-guard.js';
import { maskedNumber } from '../directory/roster-number.js';
import { CallEnded, type Call, type Caller, type Language, type OutboundCall, type Prompt, type Telephony } from '../ports/telephony.js';
import type { CommandKey } from '../domain/keypad.js';
import { KeypadBuffer } from './keypad-buffer.js';
import { inConference, type InConferenceParts } from './in-conference.js';
import { say } from './prompt-steps.js';
import { PROMPTS } from '../prompts/catalog.js';
import { runInBackground } from '../ports/background.js';

/** After the invitation, how long the called person has to press 1; it is said twice. */
const ACCEPT_WAIT_MS = 8_000;
const ACCEPT_ROUNDS = 2;

/** A number that passed every check before a call (see `check`). */
export interface CheckedNumber {
  readonly e164: string;
  readonly ringSeconds: number;
  /** Who asks for the call, as the called phone shows it. */
  readonly inviterName: string;
}

export interface CallBackRequest {
  readonly displayName?: string;
  readonly language?: Language;
  readonly role?: ParticipantRole;
  /** A directory user: the roster and the call record know who it is. */
  readonly userId?: string;
  /** Shown as who calls, when it is not the person asking (an invitation's inviter). */
  readonly inviterName?: string;
}

interface PlaceRequest extends CallBackRequest {
  readonly confirm: boolean;
  /** What the dial-out ledger counts it as (default: dial-out when confirmed, add-audio otherwise). */
  readonly purpose?: 'call-me';
}

export interface Invitee {
  /** As typed: E.164, or national in the inviter's country. */
  readonly phone: string;
  readonly displayName?: string;
  /** Overrides the language parley would pick. */
  readonly language?: Language;
}

/** What dial-out needs from the directory and the deployment, as plain functions (wired in services.ts). */
export interface DialOutDirectory {
  /** The inviter's home country and their own dial-out scope, if one is set for them. */
  inviter(principal: Principal): Promise<{ country: string | undefined; scope: DialOutScope | undefined; name: string }>;
  /** The language the called person hears: theirs if parley knows it, else the conference's. */
  language(conference: Conference, e164: string): Promise<Language>;
  /** What the called phone shows: the conference's primary access number, so calling back reaches it. */
  callerId(conference: Conference, inviterName: string): Promise<Caller>;
}

/** The parts of the live conference a placed call uses: whether it may be joined, the bridge, then in-conference. */
export type DialOutConferences = InConferenceParts & {
  readonly entry: Pick<ConferenceEntry, 'findJoinable'>;
  readonly attendance: Pick<Attendance, 'join' | 'leave'>;
};

export interface DialOutDeps {
  readonly control: LeaderControl;
  readonly conferences: DialOutConferences;
  readonly participants: ParticipantStore;
  readonly telephony: Telephony;
  readonly directory: DialOutDirectory;
  /** The dial-out policy, the inviter's scope and the dial-out limits: every number passes it when asked for and when dialled. */
  readonly guard: Pick<DialOutGuard, 'check' | 'place' | 'track'>;
  readonly log: Log;
  readonly nameVoice?: NameVoice;
  readonly commandKey?: CommandKey;
  /** Answered calls in progress, by stage (GET /metrics). */
  readonly metrics?: Metrics;
  /** One "Call me" per leader and conference at a time, across instances (a double click, two tabs). */
  readonly lock: JobLock;
}

/**
 * A leader has parley call someone into the conference. The roster shows the invitation from the
 * first moment (`inviting`, `ringing`), then the person in it, or how it ended (busy, no answer,
 * declined, cancelled, not accepted). The called person hears who invites them and presses 1 to join,
 * so an answering machine never joins.
 */
export class DialOut {
  /** Calls this process is placing, by participant: a leader may cancel them. */
  private readonly legs = new Map<string, OutboundCall>();

  constructor(private readonly deps: DialOutDeps) {}

  async invite(principal: Principal, conferenceId: string, invitee: Invitee): Promise<Participant> {
    const conference = await this.deps.control.requireLeader(principal, conferenceId);
    const checked = await this.check(principal, conference, invitee.phone);
    return this.place(principal, conference, checked, { ...invitee, confirm: true });
  }

  /**
   * Someone asked parley to call them in (they added audio to a conversation, or accepted an
   * invitation): answering joins them, with no "press 1". The number is checked against the dial-out
   * policy as if they dialled it themselves.
   */
  async callBack(principal: Principal, conference: Conference, checked: CheckedNumber, request: CallBackRequest): Promise<Participant> {
    return this.place(principal, conference, checked, { ...request, confirm: false });
  }

  /**
   * "Call me": a leader not on the call yet has parley dial their own number (the one they name, or
   * their mobile, work, home or other number, in that order) and join them as leader when they answer,
   * with no "press 1" (they asked for it). The number passes the dial-out policy as any call parley places.
   */
  async callMe(principal: Principal, conferenceId: string, kind?: PhoneKind): Promise<Participant> {
    const conference = await this.deps.control.requireLeader(principal, conferenceId);
    if (principal.kind !== 'user') throw new DomainError('forbidden', 'only a signed-in user has a number of their own to be called at');
    const { user } = principal;
    const phone = kind ? user.phones[kind] : CALL_ME_ORDER.map((k) => user.phones[k]).find((number) => number);
    if (!phone) throw new DomainError('no-phone-number', kind ? `you have no ${kind} number in the directory` : 'you have no phone number in the directory to be called at');
    const alreadyOnCall = new DomainError('already-on-call', 'you are on this conference\'s call already, or being called into it');
    // Looked for and placed under one lock: two presses at once would both find no call and dial twice.
    const placed = await this.deps.lock.exclusive(`call-me:${conference.id}:${user.id}`, async () => {
      const mine = (await this.deps.participants.list(conference.id)).filter((p) => p.userId === user.id && stillLive(p.state));
      if (mine.length > 0) throw alreadyOnCall;
      const checked = await this.check(principal, conference, phone);
      return this.place(principal, conference, checked, { displayName: user.displayName, userId: user.id, role: 'leader', inviterName: user.displayName, confirm: false, purpose: 'call-me' });
    });
    if (placed === 'busy') throw alreadyOnCall;
    return placed;
  }

  /** Everything that refuses a call before it is placed: a bad number, the policy, the conference, Asterisk. */
  async check(principal: Principal, conference: Conference | undefined, phone: string): Promise<CheckedNumber> {
    const inviter = await this.deps.directory.inviter(principal);
    const allowed = await this.deps.guard.check(principal, phone);
    // No conference yet: it is about to be made for this call.
    if (conference && (await this.deps.conferences.entry.findJoinable(conference.conferenceId))?.id !== conference.id) {
      throw new DomainError('conference-not-joinable', 'this conference cannot be joined now, so nobody can be called into it');
    }
    if (!this.deps.telephony.isUp()) throw new DomainError('telephony-unavailable', 'the telephony server is not connected; nothing was placed');
    return { e164: allowed.e164, ringSeconds: allowed.ringSeconds, inviterName: inviter.name };
  }

  private async place(principal: Principal, conference: Conference, checked: CheckedNumber, request: PlaceRequest): Promise<Participant> {
    const { e164 } = checked;
    const channelId = randomUUID();
    // Checked again as it is dialled (an invitation answered minutes later, a policy changed since), and counted.
    await this.deps.guard.place(principal, e164, { id: channelId, purpose: request.purpose ?? (request.confirm ? 'dial-out' : 'add-audio') });
    const language = request.language ?? (await this.deps.directory.language(conference, e164));
    const participant = await this.deps.participants.insert({
      id: randomUUID(),
      conferenceId: conference.id,
      channelId,
      // Everyone in the meeting sees the roster: a number typed without a name is shown masked, as a caller's is.
      displayName: request.displayName?.trim() || (maskedNumber(e164) ?? 'Phone'),
      callerNumber: e164,
      language,
      state: 'inviting',
      via: 'dial-out',
      ...(request.role ? { role: request.role } : {}),
      ...(request.userId ? { userId: request.userId } : {}),
    });
    await this.deps.control.record(principal, conference.id, 'dial-out', participant.id, { number: e164 });
    const inviterName = request.inviterName ?? checked.inviterName;
    const leg = this.deps.telephony.dial({
      id: participant.channelId,
      to: { phone: e164 },
      callerId: await this.deps.directory.callerId(conference, inviterName),
      ringSeconds: checked.ringSeconds,
      language,
      near: { conference: conference.id },
    });
    this.legs.set(participant.id, leg);
    this.deps.guard.track(leg);
    const confirm = request.confirm ? inviterName : undefined;
    runInBackground(
      this.deps.log,
      'dial-out call flow',
      this.follow(leg, participant, conference, confirm).finally(() => this.legs.delete(participant.id)),
      { participant: participant.id },
    );
    return participant;
  }

  /** Someone parley is still calling: not in the conference yet (ringing, or hearing the invitation). */
  isPending(participant: Participant): boolean {
    if (participant.state === 'inviting' || participant.state === 'ringing') return true;
    return participant.state === 'connecting' && this.deps.telephony.call(participant.channelId)?.placed === true;
  }

  /** Stops an invitation not yet joined; the phone stops ringing (or the caller hears no more). */
  async cancel(principal: Principal, conferenceId: string, participant: Participant): Promise<Participant> {
    await this.deps.control.requireLeader(principal, conferenceId);
    await this.deps.conferences.attendance.leave(participant, 'cancelled');
    const leg = this.legs.get(participant.id);
    if (leg) await leg.cancel();
    else await this.deps.telephony.call(participant.channelId)?.hangup();
    await this.deps.control.record(principal, conferenceId, 'cancel-invitation', participant.id);
    return (await this.deps.participants.get(participant.id)) ?? participant;
  }

  /** `confirmWith`: the inviter's name, when the called person must hear the invitation and press 1. */
  private async follow(leg: OutboundCall, participant: Participant, conference: Conference, confirmWith: string | undefined): Promise<void> {
    const { participants, conferences, log } = this.deps;
    leg.onRinging(() => void participants.setState(participant.id, 'ringing').catch(() => undefined));
    const outcome = await leg.outcome;
    if ('failed' in outcome) {
      log.info({ participant: participant.id, outcome: outcome.failed }, 'invitation not answered');
      await conferences.attendance.leave(participant, outcome.failed);
      return;
    }
    const call = outcome.answered;
    const progress = this.deps.metrics?.call();
    progress?.stage('dial-out');
    try {
      // Cancelled in the instant it was answered: the row says so, and the call goes.
      if (!(await participants.setState(participant.id, 'connecting'))) return await call.hangup();
      if (confirmWith !== undefined && !(await this.accepted(call, participant, confirmWith))) {
        await conferences.attendance.leave(participant, 'not-accepted');
        await call.play([PROMPTS.goodbye]).finished;
        return await call.hangup();
      }
      const joined = await conferences.attendance.join(conference, participant, call, { overrideLock: true });
      if (typeof joined === 'string') {
        await call.play([joined === 'full' ? PROMPTS.full : PROMPTS.ended]).finished;
        return await call.hangup();
      }
      progress?.stage('in-conference');
      await inConference(call, joined, conferences, this.deps.commandKey ?? '*', log);
    } catch (error) {
      if (!(error instanceof CallEnded)) {
        log.error({ err: error, participant: participant.id }, 'dial-out flow failed; releasing the call');
        await call.hangup();
      }
      const now = await participants.get(participant.id);
      await conferences.attendance.leave(participant, now?.state === 'connecting' ? 'not-accepted' : 'hangup');
    } finally {
      progress?.end();
    }
  }

  /** "This is an invitation to a conference call. Invited by Ann Lee. To join, press 1." */
  private async accepted(call: Call, participant: Participant, inviterName: string): Promise<boolean> {
    const keypad = new KeypadBuffer(call);
    const name = await this.spokenName(inviterName, participant);
    const invitation: Prompt[] = [PROMPTS.invitation, ...(name ? [PROMPTS.invitedBy, name] : []), PROMPTS.invitationPress1];
    try {
      for (let round = 0; round < ACCEPT_ROUNDS; round++) {
        await say(call, keypad, invitation);
        for (let key = await keypad.next(ACCEPT_WAIT_MS); key !== undefined; key = await keypad.next(ACCEPT_WAIT_MS)) {
          if (key === '1') return true;
        }
      }
      return false;
    } finally {
      keypad.dispose();
    }
  }

  private async spokenName(name: string, participant: Participant): Promise<Prompt | undefined> {
    try {
      return await this.deps.nameVoice?.say(name, participant.language ?? 'en-US', `parley-inviter-${participant.id}`);
    } catch (error) {
      this.deps.log.warn({ err: error, participant: participant.id }, 'could not speak the inviter name');
      return undefined;
    }
  }
}

/** Which of a user's numbers "Call me" rings when they do not say. */
const CALL_ME_ORDER: readonly PhoneKind[] = ['mobile', 'work', 'home', 'other'];

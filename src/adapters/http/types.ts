import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { LeaderControl } from '../../conferences/leader-control.js';
import type { BrowserAudio } from '../../conferences/browser-audio.js';
import type { AudioInvitations } from '../../calls/audio-invitations.js';
import type { DialOut } from '../../calls/dial-out.js';
import type { AuditLog } from '../../ports/audit.js';
import type { EventFeed, EventLog } from '../../ports/events.js';
import type { RefusalLog, SessionStore } from '../../ports/history.js';
import type { RecordingFiles, RecordingStore } from '../../ports/recordings.js';
import type { ParticipantStore } from '../../ports/store.js';
import type { DialInNumbers } from '../../directory/dial-in-numbers.js';
import type { CallForwarding } from '../../directory/call-forwarding.js';
import type { SipDevices } from '../../directory/sip-devices.js';
import type { Voicemails } from '../../directory/voicemails.js';
import type { DialOutScopes } from '../../directory/dial-out-scopes.js';
import type { Directory } from '../../directory/directory.js';
import type { InvitationLinks } from '../../meetings/calendar-invitation.js';
import type { Meetings } from '../../meetings/meetings.js';
import type { Pins } from '../../directory/pins.js';
import type { Policies } from '../../directory/policies.js';
import type { Sessions } from '../../directory/sessions.js';
import type { Webhooks } from '../../integrations/webhooks.js';

export interface HttpServices {
  readonly meetings: Meetings;
  readonly directory: Directory;
  readonly callForwarding: CallForwarding;
  readonly sipDevices: SipDevices;
  readonly voicemails: Voicemails;
  readonly dialOutScopes: DialOutScopes;
  readonly sessions: Sessions;
  readonly dialInNumbers: DialInNumbers;
  readonly invitationLinks: InvitationLinks;
  readonly pins: Pins;
  readonly policies: Policies;
  readonly participants: Pick<ParticipantStore, 'list'>;
  readonly control: LeaderControl;
  readonly dialOut: DialOut;
  readonly audit: Pick<AuditLog, 'list'>;
  readonly events: { readonly log: EventLog; readonly feed: EventFeed };
  readonly history: SessionStore;
  /** Callers turned away before the roster (GET …/history `refused`). */
  readonly refusals: Pick<RefusalLog, 'list'>;
  readonly recordings: { readonly store: Pick<RecordingStore, 'list' | 'get' | 'running'>; readonly files: Pick<RecordingFiles, 'open'> };
  readonly health: { asterisk(): Promise<boolean>; database(): Promise<boolean> };
  readonly webhooks: Webhooks;
  readonly audioInvitations: AudioInvitations;
  readonly browserAudio: BrowserAudio;
  /** Prometheus exposition (GET /metrics). */
  readonly metrics: { readonly contentType: string; render(): Promise<string> };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Decorated on the root instance (buildHttp), so every route plugin reaches the services. */
    services: HttpServices;
  }
}

/** The Fastify instance every route plugin gets: TypeBox schemas type requests and replies. */
export type HttpApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ConferenceService } from '../../conferences/conference-service.js';
import type { ParticipantStore } from '../../ports/store.js';
import type { DialInNumbers } from '../../scheduling/dial-in-numbers.js';
import type { Directory } from '../../scheduling/directory.js';
import type { InvitationLinks } from '../../scheduling/invitation.js';
import type { Meetings } from '../../scheduling/meetings.js';
import type { Pins } from '../../scheduling/pins.js';
import type { Policies } from '../../scheduling/policies.js';
import type { Sessions } from '../../scheduling/sessions.js';

export interface HttpServices {
  readonly meetings: Meetings;
  readonly directory: Directory;
  readonly sessions: Sessions;
  readonly dialInNumbers: DialInNumbers;
  readonly invitationLinks: InvitationLinks;
  readonly pins: Pins;
  readonly policies: Policies;
  readonly conferences: ConferenceService;
  readonly participants: Pick<ParticipantStore, 'list'>;
  readonly health: { asterisk(): Promise<boolean>; database(): Promise<boolean> };
}

export type HttpApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
> & { services: HttpServices };

import type { DialOutDirectory } from '../calls/dial-out.js';
import type { CallLanguages } from '../calls/languages.js';
import type { Principal } from '../domain/user.js';
import type { DialOutScopeStore } from '../ports/dial-out-scope-store.js';
import type { RegionStore, UserStore } from '../ports/directory-store.js';
import type { DialInNumbers } from './dial-in-numbers.js';

/** Dial-out's view of the directory: whose numbers are internal, where the inviter lives, what to show. */
export function dialOutDirectory(deps: {
  users: Pick<UserStore, 'get' | 'byKeypadIdentity'>;
  regions: Pick<RegionStore, 'get'>;
  dialInNumbers: DialInNumbers;
  languages: CallLanguages;
  /** A fixed caller ID the carrier requires (DIAL_OUT_CALLER_ID), instead of the access number. */
  fixedCallerId?: string;
  /** Users whose scope differs from the policy's. */
  scopes?: Pick<DialOutScopeStore, 'get'>;
}): DialOutDirectory {
  const homeRegion = async (userId: string | null) => {
    const user = userId ? await deps.users.get(userId) : undefined;
    return user?.region;
  };
  const primaryNumber = async (organizerId: string | null) => (await deps.dialInNumbers.forRegion(await homeRegion(organizerId)))[0];
  return {
    async inviter(principal: Principal) {
      if (principal.kind === 'service') return { country: undefined, scope: undefined, name: 'Conference' };
      const region = await deps.regions.get(principal.user.region);
      const scope = await deps.scopes?.get(principal.user.id);
      return { country: region?.country, scope, name: principal.user.displayName };
    },
    async language(conference, e164) {
      const access = await primaryNumber(conference.organizerId);
      return (await deps.languages.forCall(access?.number ?? '', e164)).greet;
    },
    async callerId(conference, inviterName) {
      const access = await primaryNumber(conference.organizerId);
      const number = deps.fixedCallerId ?? (access ? `+${access.number.replace(/^\+/, '')}` : 'anonymous');
      return { number, name: inviterName };
    },
  };
}

// The native reference: Asterisk alone, a dialplan attendant in front of ConfBridge on the same prompt
// files (asterisk-config/extensions.conf, [native-reference]; confbridge.conf). Nothing runs beside it.
import { randomInt } from 'node:crypto';
import { CONFERENCE_ID_LENGTH } from '../src/domain/conference.js';
import { NATIVE_NUMBER } from './asterisk.js';
import type { Side } from './storm.js';

/** A conference ID as long as parley's, so both sides' callers press the same number of keys. */
export function nativeSide(): Side {
  let conferenceId = String(randomInt(1, 10));
  while (conferenceId.length < CONFERENCE_ID_LENGTH) conferenceId += String(randomInt(0, 10));
  return { name: 'native', number: NATIVE_NUMBER, conferenceId, close: async () => undefined };
}

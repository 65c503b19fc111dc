// Who a call is from, as the dialplan tells it: a device's username is never something a gateway caller
// can write, not even with commas in the number it dials (a SIP user part may hold them).
import { describe, expect, it } from 'vitest';
import { isDialIn, stasisEntry } from '../../../src/adapters/ari/stasis-entry.js';

describe('the Stasis app arguments of a call', () => {
  it('a gateway call has the number dialled and no device, whatever the number holds', () => {
    expect(stasisEntry(['dial-in', '14255550100'])).toEqual({ dialed: '14255550100' });
    // Stasis(parley,dial-in,${EXTEN}) with EXTEN "1,device,alice": Asterisk splits it into more arguments.
    expect(stasisEntry(['dial-in', '1', 'device', 'alice'])).toEqual({ dialed: '1' });
    expect(stasisEntry(['dial-in', 'device', 'alice', '4711042']).device).toBeUndefined();
  });

  it('a device call names the device first, then the number it dialled (commas and all)', () => {
    expect(stasisEntry(['device', 'alice', '4711042'])).toEqual({ device: 'alice', dialed: '4711042' });
    expect(stasisEntry(['device', 'alice', '12', '34'])).toEqual({ device: 'alice', dialed: '12,34' });
  });

  it('a relay leg from another media node carries its ticket, and nothing a caller dialled', () => {
    expect(stasisEntry(['relay', 'tkt'])).toEqual({ relayTicket: 'tkt', dialed: '' });
    // A dialled number is never a ticket: the gateway's calls are dial-ins.
    expect(stasisEntry(['dial-in', 'relay', 'tkt']).relayTicket).toBeUndefined();
  });

  it('only the attendant’s kinds of call are dial-ins', () => {
    expect(isDialIn(['dial-in', '1'])).toBe(true);
    expect(isDialIn(['device', 'alice', '1'])).toBe(true);
    expect(isDialIn(['relay', 'tkt'])).toBe(true);
    expect(isDialIn(['dial-out'])).toBe(false);
    expect(isDialIn([])).toBe(false);
  });
});

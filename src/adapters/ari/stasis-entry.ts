// What the dialplan tells parley of a call it sends to the Stasis app (asterisk-config/extensions.conf).
/**
 * A call to the attendant: through the gateway (`dial-in,<number>`), from a user's device
 * (`device,<username>,<number>`), or a relay leg from another media node (`relay,<ticket>`).
 */
export function isDialIn(args: readonly string[]): boolean {
  return args[0] === 'dial-in' || args[0] === 'device' || args[0] === 'relay';
}

/**
 * What the dialplan said of a call: the number dialled and, from a device, its username. The
 * username comes before the number, which the caller writes (a SIP user part may hold commas).
 */
export function stasisEntry(args: readonly string[]): { dialed?: string; device?: string; relayTicket?: string } {
  if (args[0] === 'device') return { device: args[1], dialed: args.slice(2).join(',') };
  if (args[0] === 'relay') return { relayTicket: args.slice(1).join(','), dialed: '' };
  return { dialed: args[1] };
}

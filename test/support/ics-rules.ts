/**
 * The RFC 5545 / RFC 5546 rules that Outlook, Google and Apple calendars are strict about, checked on the
 * text as sent: a validator for tests, returning every broken rule (an empty list: all kept).
 */

export interface IcsExpectations {
  readonly method: 'REQUEST' | 'CANCEL';
  /** Addresses (mailto: or SIP, as given) that must be ATTENDEE with ROLE=CHAIR. */
  readonly chairs?: readonly string[];
  /** Addresses that must be ATTENDEE with ROLE=REQ-PARTICIPANT. */
  readonly participants?: readonly string[];
  /** Text that must not appear anywhere (a cancellation's conference ID, passcode, join links). */
  readonly secrets?: readonly string[];
}

export interface IcsLine {
  readonly name: string;
  readonly params: Readonly<Record<string, string>>;
  readonly value: string;
}

const MAX_OCTETS = 75;

/** Every rule broken, as sentences; [] when the invitation keeps them all. */
export function icsViolations(ics: string, expect: IcsExpectations): string[] {
  const broken: string[] = [];
  if (!ics.endsWith('\r\n')) broken.push('the last line does not end with CRLF');
  const physical = ics.split('\r\n');
  physical.pop();
  physical.forEach((line, i) => {
    if (/[\r\n]/.test(line)) broken.push(`line ${i + 1} has a bare CR or LF`);
    const octets = Buffer.byteLength(line, 'utf8');
    if (octets > MAX_OCTETS) broken.push(`line ${i + 1} is ${octets} octets long (at most ${MAX_OCTETS} before folding)`);
  });
  if (Buffer.from(ics, 'utf8').toString('utf8') !== ics || ics.includes('\uFFFD')) broken.push('a fold split a UTF-8 character');

  const lines = unfold(ics);
  const components = nesting(lines, broken);
  const top = lines.filter((l) => components.get(l) === 'VCALENDAR');
  const events = eventsOf(lines);

  if (lines[0]?.name !== 'BEGIN' || lines[0].value !== 'VCALENDAR') broken.push('does not start with BEGIN:VCALENDAR');
  if (!top.some((l) => l.name === 'VERSION' && l.value === '2.0')) broken.push('VERSION:2.0 missing');
  if (!top.some((l) => l.name === 'PRODID')) broken.push('PRODID missing');
  const methods = top.filter((l) => l.name === 'METHOD').map((l) => l.value);
  if (methods.length !== 1 || methods[0] !== expect.method) broken.push(`METHOD is ${JSON.stringify(methods)}, not ${expect.method}`);
  for (const l of lines) if (l.name === 'TIMEZONE-ID') broken.push('non-standard TIMEZONE-ID property');

  const zones = new Set(lines.filter((l) => components.get(l) === 'VTIMEZONE' && l.name === 'TZID').map((l) => l.value));
  for (const l of lines) {
    const tzid = l.params.TZID;
    if (tzid !== undefined && !zones.has(tzid)) broken.push(`${l.name} refers to TZID=${tzid}, which has no VTIMEZONE`);
  }

  if (events.length !== 1) broken.push(`${events.length} VEVENTs, expected 1`);
  for (const event of events) broken.push(...eventViolations(event, expect));
  for (const secret of expect.secrets ?? []) if (secret && unfoldedText(ics).includes(secret)) broken.push(`contains "${secret}"`);
  return broken;
}

function eventViolations(event: IcsLine[], expect: IcsExpectations): string[] {
  const broken: string[] = [];
  const one = (name: string) => {
    const found = event.filter((l) => l.name === name);
    if (found.length !== 1) broken.push(`VEVENT has ${found.length} ${name}, expected 1`);
    return found[0];
  };
  one('UID');
  const stamp = one('DTSTAMP');
  if (stamp && !/^\d{8}T\d{6}Z$/.test(stamp.value)) broken.push(`DTSTAMP ${stamp.value} is not UTC (…Z)`);
  if (stamp && Object.keys(stamp.params).length > 0) broken.push('DTSTAMP carries parameters (a TZID?)');
  const start = one('DTSTART');
  if (start && !/^\d{8}(T\d{6}Z?)?$/.test(start.value)) broken.push(`DTSTART ${start.value} is not a date-time`);
  if (start && start.params.TZID && start.value.endsWith('Z')) broken.push('DTSTART has both TZID and Z');
  const sequence = one('SEQUENCE');
  if (sequence && !/^\d+$/.test(sequence.value)) broken.push(`SEQUENCE ${sequence.value} is not a number`);
  one('ORGANIZER');
  const status = one('STATUS');
  if (expect.method === 'CANCEL' && status?.value !== 'CANCELLED') broken.push(`a CANCEL has STATUS:${status?.value}`);
  if (expect.method === 'REQUEST' && status?.value === 'CANCELLED') broken.push('a REQUEST has STATUS:CANCELLED');

  const attendees = event.filter((l) => l.name === 'ATTENDEE');
  // RFC 5546 3.2.2 and 3.2.5: REQUEST and CANCEL carry at least one ATTENDEE.
  if (attendees.length === 0) broken.push('no ATTENDEE (RFC 5546 wants at least one in REQUEST and CANCEL)');
  const seen = new Set<string>();
  for (const a of attendees) {
    const address = a.value.replace(/^mailto:/i, '').toLowerCase();
    if (seen.has(address)) broken.push(`ATTENDEE ${address} listed twice`);
    seen.add(address);
    if (!['CHAIR', 'REQ-PARTICIPANT'].includes(a.params.ROLE ?? '')) broken.push(`ATTENDEE ${address} has ROLE=${a.params.ROLE}`);
  }
  const roleOf = (address: string) => attendees.find((a) => a.value.replace(/^mailto:/i, '').toLowerCase() === address.replace(/^sips?:/i, '').toLowerCase())?.params.ROLE;
  for (const chair of expect.chairs ?? []) if (roleOf(chair) !== 'CHAIR') broken.push(`${chair} is not an ATTENDEE with ROLE=CHAIR`);
  for (const p of expect.participants ?? []) if (roleOf(p) !== 'REQ-PARTICIPANT') broken.push(`${p} is not an ATTENDEE with ROLE=REQ-PARTICIPANT`);
  return broken;
}

/** Content lines with folding undone (RFC 5545 3.1): name, parameters, value. */
export function unfold(ics: string): IcsLine[] {
  return unfoldedText(ics)
    .split('\r\n')
    .filter((l) => l.length > 0)
    .map(contentLine);
}

function unfoldedText(ics: string): string {
  return ics.replace(/\r\n[ \t]/g, '');
}

function contentLine(line: string): IcsLine {
  // The value starts at the first colon outside a quoted parameter value.
  let quoted = false;
  let colon = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) {
      colon = i;
      break;
    }
  }
  const head = colon < 0 ? line : line.slice(0, colon);
  const [name = '', ...rawParams] = head.split(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/);
  const params: Record<string, string> = {};
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
  }
  return { name: name.toUpperCase(), params, value: colon < 0 ? '' : line.slice(colon + 1) };
}

/** Which component each line sits in (its innermost BEGIN). */
function nesting(lines: IcsLine[], broken: string[]): Map<IcsLine, string> {
  const stack: string[] = [];
  const where = new Map<IcsLine, string>();
  for (const l of lines) {
    if (l.name === 'BEGIN') stack.push(l.value);
    else if (l.name === 'END') {
      if (stack.pop() !== l.value) broken.push(`END:${l.value} does not close the component it is in`);
    } else where.set(l, stack.at(-1) ?? '');
  }
  if (stack.length > 0) broken.push(`unclosed ${stack.join(', ')}`);
  return where;
}

function eventsOf(lines: IcsLine[]): IcsLine[][] {
  const events: IcsLine[][] = [];
  let current: IcsLine[] | undefined;
  for (const l of lines) {
    if (l.name === 'BEGIN' && l.value === 'VEVENT') current = [];
    else if (l.name === 'END' && l.value === 'VEVENT' && current) {
      events.push(current);
      current = undefined;
    } else if (current && l.name !== 'BEGIN' && l.name !== 'END') current.push(l);
  }
  return events;
}

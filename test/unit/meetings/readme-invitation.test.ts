import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_LINKS, EXAMPLE_MEETING, exampleIcs, exampleText } from '../../../scripts/example-invitation.js';
import { calendarInvitationIcs } from '../../../src/meetings/calendar-invitation.js';
import { icsViolations } from '../../support/ics-rules.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The fenced block after `<!-- name -->` in the README. */
function block(name: string): string | undefined {
  return new RegExp(`<!-- ${name} -->\\n\`\`\`text\\n([\\s\\S]*?)\`\`\`\\n`).exec(README)?.[1];
}

describe('the README’s example invitation', () => {
  it('is what the code makes today (regenerate with npx tsx scripts/example-invitation.ts)', () => {
    expect(block('example-invitation.ics')).toBe(exampleIcs());
    expect(block('example-invitation.txt')).toBe(`${exampleText()}\n`);
  });

  it('keeps the RFC 5545 rules as sent (CRLF)', () => {
    expect(icsViolations(calendarInvitationIcs(EXAMPLE_MEETING, EXAMPLE_LINKS), { method: 'REQUEST', chairs: ['lee@example.com'], participants: ['bo@example.com'] })).toEqual([]);
  });
});

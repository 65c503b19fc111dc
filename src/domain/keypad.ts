export type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#';

export function isDigit(value: string): value is Digit {
  return /^[0-9*#]$/.test(value);
}

/** The key that starts an in-conference command: `*` (the default) or `#`. */
export type CommandKey = '*' | '#';

export type InConferenceCommand = 'help' | 'roll-call' | 'audience-mute' | 'self-mute' | 'lock' | 'admit-lobby' | 'announcements';

/** The digits that follow the command key; each has a help prompt (parley/help-<digit>-star|pound). */
export type CommandDigit = '1' | '3' | '4' | '6' | '7' | '8' | '9';

export interface CommandSpec {
  readonly digit: CommandDigit;
  readonly command: InConferenceCommand;
  readonly leaderOnly: boolean;
}

/** The Lync/Teams key table (anchors, section C): the command key followed by one digit. */
export const COMMANDS: readonly CommandSpec[] = [
  { digit: '1', command: 'help', leaderOnly: false },
  { digit: '3', command: 'roll-call', leaderOnly: false },
  { digit: '4', command: 'audience-mute', leaderOnly: true },
  { digit: '6', command: 'self-mute', leaderOnly: false },
  { digit: '7', command: 'lock', leaderOnly: true },
  { digit: '8', command: 'admit-lobby', leaderOnly: true },
  { digit: '9', command: 'announcements', leaderOnly: true },
];

/** The commands a caller may use, in key order: help lists only these. */
export function commandsFor(leader: boolean): readonly CommandSpec[] {
  return COMMANDS.filter((spec) => leader || !spec.leaderOnly);
}

export type KeypadResult = { readonly command: CommandSpec } | { readonly unknown: string };

/**
 * Reads in-conference keys one at a time. The command key arms the reader; the next digit, if it comes
 * within `timeoutMs`, completes a command (or an unknown one). Keys outside a command are ignored, and a
 * second command key restarts the command, so `**6` is `*6`.
 */
export function commandReader(commandKey: CommandKey = '*', timeoutMs = 3000): (digit: Digit, atMs: number) => KeypadResult | undefined {
  let armedAt: number | undefined;
  return (digit, atMs) => {
    if (digit === commandKey) {
      armedAt = atMs;
      return undefined;
    }
    if (armedAt === undefined || atMs - armedAt > timeoutMs) {
      armedAt = undefined;
      return undefined;
    }
    armedAt = undefined;
    const command = COMMANDS.find((spec) => spec.digit === digit);
    return command ? { command } : { unknown: commandKey + digit };
  };
}

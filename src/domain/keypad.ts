export type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#';

export function isDigit(value: string): value is Digit {
  return /^[0-9*#]$/.test(value);
}

export type InConferenceCommand = 'toggle-mute';

const COMMANDS: Record<string, InConferenceCommand> = { '*6': 'toggle-mute' };

/**
 * In-conference keys are `*` followed by one digit. Feeding the keys one at a time returns
 * a command when a sequence completes; any other key resets the sequence.
 */
export function inConferenceKeys(): (digit: Digit) => InConferenceCommand | undefined {
  let pending = '';
  return (digit) => {
    if (digit === '*') {
      pending = '*';
      return undefined;
    }
    const sequence = pending + digit;
    pending = '';
    return COMMANDS[sequence];
  };
}

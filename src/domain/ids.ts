/** Source of randomness, injected so IDs are testable; production passes crypto.randomBytes. */
export type RandomBytes = (count: number) => Uint8Array;

export const MEETING_ID_PATTERN = /^[0-9a-f]{32}$/;

export function newMeetingId(random: RandomBytes): string {
  return Array.from(random(16), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A numeric ID that never starts with 0, so it reads back the same however it is typed or stored. */
export function newNumericId(random: RandomBytes, length: number): string {
  const bytes = random(length);
  let id = String(1 + ((bytes[0] ?? 0) % 9));
  for (let i = 1; i < length; i++) id += String((bytes[i] ?? 0) % 10);
  return id;
}

export function isDigits(value: string, min: number, max: number): boolean {
  return value.length >= min && value.length <= max && /^[0-9]+$/.test(value);
}

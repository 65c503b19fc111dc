/**
 * An event's `data` as receivers get it: for the types the live stream knows, the same object as the
 * stream's `participant` / `conference` / `session` / `recording` (GET …/events), not the trigger's row,
 * which holds internals (channel IDs, recording file names, user IDs) that have no business leaving
 * parley. Types added later pass through as their trigger wrote them.
 */
export function webhookEventData(type: string, data: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case 'participant':
      return {
        id: data.id,
        displayName: data.display_name,
        role: data.role,
        state: data.state,
        muted: data.muted,
        mutedBy: data.muted_by ?? null,
        talking: data.talking,
        noisy: data.noisy,
        via: data.via,
        joinedAt: isoOrNull(data.joined_at),
        leftAt: isoOrNull(data.left_at),
        endReason: data.end_reason ?? null,
      };
    case 'conference':
      return {
        locked: data.locked,
        status: data.status,
        audienceMuted: data.audience_muted,
        announceEntryExit: data.announce_entry_exit,
        activeSpeakerId: data.active_speaker_id ?? null,
      };
    default:
      return data;
  }
}

/** to_jsonb writes "2026-12-01T17:01:12.123456+00:00"; the API speaks toISOString(). */
function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

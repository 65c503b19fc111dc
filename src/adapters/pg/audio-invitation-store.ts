import type pg from 'pg';
import type { AudioInvitation } from '../../domain/audio-invitation.js';
import type { AudioInvitationStore } from '../../ports/audio-invitation-store.js';

interface InvitationRow {
  id: string;
  conference_id: string;
  conversation_id: string | null;
  inviter_user_id: string | null;
  invitee_user_id: string | null;
  email: string | null;
  display_name: string;
  state: AudioInvitation['state'];
  phone: string | null;
  participant_id: string | null;
  created_at: Date;
  expires_at: Date;
  responded_at: Date | null;
}

const toInvitation = (row: InvitationRow): AudioInvitation => ({
  id: row.id,
  conferenceId: row.conference_id,
  conversationId: row.conversation_id,
  inviterUserId: row.inviter_user_id,
  inviteeUserId: row.invitee_user_id,
  email: row.email,
  displayName: row.display_name,
  state: row.state,
  phone: row.phone,
  participantId: row.participant_id,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  respondedAt: row.responded_at,
});

export function pgAudioInvitationStore(pool: pg.Pool): AudioInvitationStore {
  const many = async (sql: string, values: unknown[]) => (await pool.query<InvitationRow>(sql, values)).rows.map(toInvitation);
  const one = async (sql: string, values: unknown[]) => (await many(sql, values))[0];
  return {
    async insert(i) {
      const inserted = await one(
        `insert into audio_invitations (id, conference_id, conversation_id, inviter_user_id, invitee_user_id, email, display_name, state, expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (conference_id, invitee_user_id) where state = 'pending' do nothing returning *`,
        [i.id, i.conferenceId, i.conversationId, i.inviterUserId, i.inviteeUserId, i.email, i.displayName, i.state, i.expiresAt],
      );
      if (inserted) return inserted;
      return (await one(`select * from audio_invitations where conference_id = $1 and invitee_user_id = $2 and state = 'pending'`, [
        i.conferenceId,
        i.inviteeUserId,
      ]))!;
    },
    get: (id) => one('select * from audio_invitations where id = $1', [id]),
    forConference: (conferenceId) => many('select * from audio_invitations where conference_id = $1 order by created_at, id', [conferenceId]),
    pendingFor: (userId, now) =>
      many(`select * from audio_invitations where invitee_user_id = $1 and state = 'pending' and expires_at > $2 order by created_at desc`, [userId, now]),
    answer: (id, state, phone, now) =>
      one(
        `update audio_invitations set state = $2, phone = $3, responded_at = $4
         where id = $1 and state = 'pending' and expires_at > $4 returning *`,
        [id, state, phone, now],
      ),
    async reopen(id) {
      await pool.query(`update audio_invitations set state = 'pending', phone = null, responded_at = null where id = $1 and participant_id is null`, [id]);
    },
    linkCall: (id, participantId) => one('update audio_invitations set participant_id = $2 where id = $1 returning *', [id, participantId]),
    expire: (now) => many(`update audio_invitations set state = 'expired' where state = 'pending' and expires_at <= $1 returning *`, [now]),
    async cancelPending(conferenceId) {
      return (await pool.query(`update audio_invitations set state = 'cancelled' where conference_id = $1 and state = 'pending'`, [conferenceId])).rowCount ?? 0;
    },
    async nextExpiry() {
      const row = (await pool.query<{ at: Date | null }>(`select min(expires_at) as at from audio_invitations where state = 'pending'`)).rows[0];
      return row?.at ?? undefined;
    },
  };
}

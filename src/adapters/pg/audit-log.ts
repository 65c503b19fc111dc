import type pg from 'pg';
import type { AuditAction, AuditLog, AuditRecord } from '../../ports/audit.js';

interface AuditRow {
  id: string;
  conference_id: string;
  actor_user_id: string | null;
  actor: string;
  action: AuditAction;
  participant_id: string | null;
  detail: Record<string, unknown>;
  at: Date;
}

export function pgAuditLog(pool: pg.Pool): AuditLog {
  return {
    async record(e) {
      await pool.query(
        `insert into audit_log (conference_id, actor_user_id, actor, action, participant_id, detail) values ($1, $2, $3, $4, $5, $6)`,
        [e.conferenceId, e.actorUserId, e.actor, e.action, e.participantId ?? null, e.detail ?? {}],
      );
    },
    async list(conferenceId) {
      const { rows } = await pool.query<AuditRow>('select * from audit_log where conference_id = $1 order by id', [conferenceId]);
      return rows.map(
        (r): AuditRecord => ({
          id: Number(r.id),
          conferenceId: r.conference_id,
          actorUserId: r.actor_user_id,
          actor: r.actor,
          action: r.action,
          participantId: r.participant_id,
          detail: r.detail,
          at: r.at,
        }),
      );
    },
  };
}

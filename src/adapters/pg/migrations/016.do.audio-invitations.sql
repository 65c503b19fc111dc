-- "Add audio to a conversation": invitations to an audio conference, sent by the IM/web side or by a
-- leader. A directory user accepts (parley calls the number they choose), declines (no phone rings) or
-- redirects to another number; a guest outside the directory gets a join link (state 'sent'). A pending
-- invitation nobody answers expires by itself at expires_at.
create table audio_invitations (
  id               uuid primary key,
  conference_id    text not null references conferences (id),
  conversation_id  text,
  inviter_user_id  uuid references users (id) on delete set null,
  invitee_user_id  uuid references users (id) on delete cascade,
  email            text,
  display_name     text not null,
  state            text not null check (state in ('pending', 'accepted', 'declined', 'redirected', 'expired', 'cancelled', 'sent')),
  -- The number parley called for this invitation (accept or redirect), and the roster row of that call.
  phone            text,
  participant_id   uuid references participants (id),
  created_at       timestamptz not null default now(),
  expires_at       timestamptz not null,
  responded_at     timestamptz,
  check ((invitee_user_id is null) <> (email is null))
);
create index audio_invitations_conference on audio_invitations (conference_id, created_at);
create index audio_invitations_invitee on audio_invitations (invitee_user_id) where state = 'pending';
create index audio_invitations_pending on audio_invitations (expires_at) where state = 'pending';
-- One open invitation per person per conference: inviting them again while it is pending is a no-op.
create unique index audio_invitations_open on audio_invitations (conference_id, invitee_user_id) where state = 'pending';

-- Invitations are conference events too (the stream and the webhooks): who, and how it stands. The
-- number and the e-mail address stay inside parley.
create function parley_invitation_changed() returns trigger language plpgsql as $$
begin
  perform parley_event(new.conference_id, 'invitation', jsonb_build_object(
    'id', new.id, 'conversationId', new.conversation_id, 'inviteeUserId', new.invitee_user_id,
    'displayName', new.display_name, 'guest', new.email is not null, 'state', new.state,
    'participantId', new.participant_id, 'expiresAt', new.expires_at));
  return null;
end $$;

create trigger audio_invitations_events after insert or update of state, participant_id on audio_invitations
  for each row execute function parley_invitation_changed();

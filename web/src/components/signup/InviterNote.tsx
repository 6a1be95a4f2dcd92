import type { ContactLink } from '@onionchat/client';

/** Who invited this person: once the account exists, the chat offers to add them, verified. */
export function InviterNote({ inviter, problem }: { inviter: ContactLink | null; problem: string | null }) {
  if (problem) {
    return (
      <p className="muted small" data-testid="inviter-note">
        {problem}
      </p>
    );
  }
  if (!inviter) return null;
  return (
    <p className="muted small" data-testid="inviter-note">
      Invited by <strong>{inviter.username}</strong>. Once your account exists you can add them as a friend straight
      away: their keys are checked against the fingerprint in this link, and they are marked verified if they match.
    </p>
  );
}

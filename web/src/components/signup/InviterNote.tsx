import type { ContactLink } from '@onionchat/client';
import { Trans } from 'react-i18next';

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
      <Trans i18nKey="signup.invitedBy" values={{ name: inviter.username }} components={{ b: <strong dir="auto" /> }} />
    </p>
  );
}

import { formatRelative } from '@onionchat/client';
import { CopyableLink } from '../CopyableLink';

/** The invite link just created, shown once, with a copy button. */
export function CreatedInvite({ link, expiresAt }: { link: string; expiresAt: string }) {
  return (
    <div className="invite-created">
      <p className="invite-created-title">New invite link</p>
      <CopyableLink
        link={link}
        testId="invite-link"
        note={`Expires ${formatRelative(expiresAt)}. It is only shown once.`}
      />
      <p className="muted small">
        It also carries your username and key fingerprint, so once they have signed up they can add you as a verified
        contact.
      </p>
    </div>
  );
}

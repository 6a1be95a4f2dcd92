import type { Ref } from 'react';
import { formatRelative } from '@onionchat/client';

interface CreatedInviteProps {
  link: string;
  expiresAt: string;
  /** What the copy button did, once pressed. */
  copyNote: string;
  linkRef: Ref<HTMLElement>;
  onCopy: () => void;
}

/** The invite link just created, shown once, with a copy button. */
export function CreatedInvite({ link, expiresAt, copyNote, linkRef, onCopy }: CreatedInviteProps) {
  return (
    <div className="invite-created">
      <p className="invite-created-title">New invite link</p>
      <div className="copy-row">
        <code className="invite-link" data-testid="invite-link" ref={linkRef}>
          {link}
        </code>
        <button type="button" className="button small" onClick={onCopy}>
          Copy link
        </button>
      </div>
      <p className="muted small" aria-live="polite">
        {copyNote || `Expires ${formatRelative(expiresAt)}. It is only shown once.`}
      </p>
      <p className="muted small">
        It also carries your username and key fingerprint, so once they have signed up they can add you as a verified
        contact.
      </p>
    </div>
  );
}

'use client';

import { useMemo } from 'react';
import { CopyableLink } from '../CopyableLink';
import { QrCode } from '../QrCode';
import { contactLink } from '@onionchat/client';
import { LOCAL_ONLY_NOTE, useSharedLink } from './CreatedInvite';

/**
 * This account's contact link: whoever adds the account from it gets its keys checked
 * against the fingerprint the link carries, and marked verified when they match.
 */
export function ContactLinkCard({ username, fingerprint }: { username: string; fingerprint: string }) {
  const made = useMemo(() => contactLink(window.location.origin, username, fingerprint), [username, fingerprint]);
  const shared = useSharedLink(made);

  return (
    <div className="fingerprint-block" data-testid="contact-link-section">
      <h2 className="h3">Your contact link</h2>
      <p className="hint">
        Give this link to people over a channel you trust (in person, or a messenger you already use). When they paste
        it into “Add a friend”, their app checks that the server hands out your real keys, and marks you verified.
      </p>
      {shared ? (
        <>
          <CopyableLink link={shared.link} testId="contact-link" />
          {shared.localOnly ? (
            <p className="hint" role="note" data-testid="contact-link-local-only">
              {LOCAL_ONLY_NOTE}
            </p>
          ) : null}
          <QrCode data={shared.link} label={`Contact link of ${username} as a QR code`} testId="contact-link-qr" />
        </>
      ) : null}
      <p className="hint">The code holds the same link: a phone’s camera app can read it and open or copy the link.</p>
    </div>
  );
}

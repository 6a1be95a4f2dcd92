'use client';

import { useEffect, useMemo, useState } from 'react';
import { formatRelative, linkForSharing, type SharedLink } from '@onionchat/client';
import { pageApi } from '../../hooks/api';
import { CopyableLink } from '../CopyableLink';

/** Said under a link that points at this computer's loopback address. */
export const LOCAL_ONLY_NOTE =
  'This link only works on this computer: the page is open at its local address and the server knows no onion address. Open the site through Tor to make a link a friend can use.';

/**
 * `link` as it should be handed out: on the service's onion address when the page is
 * open at loopback and the server publishes one. Until the server has answered, the link
 * is not shown (null), so a loopback link is never copied by mistake.
 */
export function useSharedLink(link: string): SharedLink | null {
  const [onion, setOnion] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    pageApi()
      .config()
      .then(
        (config) => live && setOnion(config.onionAddress ?? null),
        () => live && setOnion(null),
      );
    return () => {
      live = false;
    };
  }, []);
  return useMemo(() => (onion === undefined ? null : linkForSharing(link, onion)), [link, onion]);
}

/** The invite link just created, shown once, with a copy button. */
export function CreatedInvite({ link, expiresAt }: { link: string; expiresAt: string }) {
  const shared = useSharedLink(link);
  return (
    <div className="invite-created">
      <p className="invite-created-title">New invite link</p>
      {shared ? (
        <>
          <CopyableLink
            link={shared.link}
            testId="invite-link"
            note={`Expires ${formatRelative(expiresAt)}. It is only shown once.`}
          />
          {shared.localOnly ? (
            <p className="muted small" role="note" data-testid="invite-link-local-only">
              {LOCAL_ONLY_NOTE}
            </p>
          ) : null}
        </>
      ) : null}
      <p className="muted small">
        It also carries your username and key fingerprint, so once they have signed up they can add you as a verified
        contact.
      </p>
    </div>
  );
}

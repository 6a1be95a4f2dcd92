'use client';

import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/use-locale';
import { formatRelative, linkForSharing, type SharedLink } from '@onionchat/client';
import { pageApi } from '../../hooks/api';
import { CopyableLink } from '../CopyableLink';

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
  const { t } = useTranslation();
  const locale = useLocale();
  const shared = useSharedLink(link);
  return (
    <div className="invite-created">
      <p className="invite-created-title">{t('account.invites.newLink')}</p>
      {shared ? (
        <>
          <CopyableLink
            link={shared.link}
            testId="invite-link"
            note={t('account.invites.shownOnce', { when: formatRelative(expiresAt, undefined, locale) })}
          />
          {shared.localOnly ? (
            <p className="muted small" role="note" data-testid="invite-link-local-only">
              {t('account.invites.localOnly')}
            </p>
          ) : null}
        </>
      ) : null}
      <p className="muted small">{t('account.invites.carries')}</p>
    </div>
  );
}

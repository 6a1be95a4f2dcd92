'use client';

import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CopyableLink } from '../CopyableLink';
import { QrCode } from '../QrCode';
import { contactLink } from '@onionchat/client';
import { useSharedLink } from './CreatedInvite';

/**
 * This account's contact link: whoever adds the account from it gets its keys checked
 * against the fingerprint the link carries, and marked verified when they match.
 */
export function ContactLinkCard({ username, fingerprint }: { username: string; fingerprint: string }) {
  const { t } = useTranslation();
  const made = useMemo(() => contactLink(window.location.origin, username, fingerprint), [username, fingerprint]);
  const shared = useSharedLink(made);

  return (
    <div className="fingerprint-block" data-testid="contact-link-section">
      <h2 className="h3">{t('account.contactLink.title')}</h2>
      <p className="hint">{t('account.contactLink.explain')}</p>
      {shared ? (
        <>
          <CopyableLink link={shared.link} testId="contact-link" />
          {shared.localOnly ? (
            <p className="hint" role="note" data-testid="contact-link-local-only">
              {t('account.invites.localOnly')}
            </p>
          ) : null}
          <QrCode
            data={shared.link}
            label={t('account.contactLink.qrLabel', { name: username })}
            testId="contact-link-qr"
          />
        </>
      ) : null}
      <p className="hint">{t('account.contactLink.qrHint')}</p>
    </div>
  );
}

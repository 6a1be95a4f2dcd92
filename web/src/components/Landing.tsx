'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { PointIcon } from './icons';
import { Logo } from './Logo';
import { useKeystore, useNotice } from '../hooks/keystore';

export function Landing() {
  const { status, user } = useKeystore();
  const notice = useNotice();
  const router = useRouter();
  const { t } = useTranslation();

  useEffect(() => {
    if (status === 'unlocked') router.replace('/chat/');
  }, [status, router]);

  return (
    <div className="landing">
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <Logo size={72} className="landing-logo" />
      <h1 className="landing-title">{t('landing.title')}</h1>
      <ul className="points">
        <li>
          <Icon kind="lock" />
          <span>
            <Trans i18nKey="landing.pointEncrypted" components={{ b: <strong /> }} />
          </span>
        </li>
        <li>
          <Icon kind="onion" />
          <span>
            <Trans i18nKey="landing.pointOnion" components={{ b: <strong /> }} />
          </span>
        </li>
        <li>
          <Icon kind="key" />
          <span>
            <Trans i18nKey="landing.pointPassphrase" components={{ b: <strong /> }} />
          </span>
        </li>
      </ul>

      <div className="landing-actions js-only">
        {status === 'locked' && user ? (
          <>
            <Link className="button primary" href="/login/">
              {t('landing.unlockAs', { name: user.username })}
            </Link>
            <p className="muted small">{t('landing.stillLoggedIn')}</p>
          </>
        ) : (
          <>
            <Link className="button primary" href="/signup/">
              {t('landing.createAccount')}
            </Link>
            <Link className="button" href="/login/">
              {t('landing.logIn')}
            </Link>
          </>
        )}
      </div>
    </div>
  );
}

function Icon({ kind }: { kind: 'lock' | 'onion' | 'key' }) {
  return (
    <span className="point-icon" aria-hidden="true">
      <PointIcon kind={kind} />
    </span>
  );
}

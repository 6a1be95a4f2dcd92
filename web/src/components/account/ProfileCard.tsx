import Link from 'next/link';
import { ContactLinkCard } from './ContactLinkCard';
import { type User, formatDate } from '@onionchat/client';
import { Trans, useTranslation } from 'react-i18next';
import { useLocale } from '../../i18n/use-locale';

/** Who is logged in, since when, the public key fingerprint to compare and the contact link that carries it. */
export function ProfileCard({ user, fingerprint }: { user: User; fingerprint: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="card profile-card" aria-labelledby="profile-title">
      <h1 id="profile-title" className="visually-hidden">
        {t('account.profile.title')}
      </h1>
      <div className="profile">
        <span className="avatar avatar-lg" aria-hidden="true">
          {user.username.slice(0, 1).toUpperCase()}
        </span>
        <div className="profile-text">
          <p className="eyebrow">{t('account.profile.title')}</p>
          <p className="profile-name" data-testid="account-username" dir="auto">
            {user.username}
          </p>
          <p className="muted small">
            <Trans
              i18nKey="account.profile.memberSince"
              values={{ date: formatDate(user.createdAt, locale) }}
              components={{ time: <time dateTime={user.createdAt} /> }}
            />
          </p>
        </div>
        <Link href="/account/passphrase/" className="button profile-action">
          {t('account.profile.changePassphrase')}
        </Link>
      </div>

      <div className="fingerprint-block">
        <h2 className="h3">{t('account.profile.fingerprint')}</h2>
        <code className="fingerprint" data-testid="fingerprint">
          {fingerprint}
        </code>
        <p className="hint">{t('account.profile.fingerprintHint')}</p>
      </div>

      <ContactLinkCard username={user.username} fingerprint={fingerprint} />
    </section>
  );
}

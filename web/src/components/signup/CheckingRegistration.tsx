import { useTranslation } from 'react-i18next';

/** Shown while the server is asked whether sign-up is open or invite-only. */
export function CheckingRegistration() {
  const { t } = useTranslation();
  return (
    <div className="card js-only" aria-busy="true">
      <h1>{t('signup.title')}</h1>
      <p className="muted">{t('signup.checking')}</p>
    </div>
  );
}

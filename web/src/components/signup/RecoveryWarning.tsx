import { useTranslation } from 'react-i18next';

/** Says, before the account exists, that a lost passphrase is lost for good. */
export function RecoveryWarning() {
  const { t } = useTranslation();
  return (
    <div className="callout callout-warn" id="signup-warning">
      <h2>{t('signup.recoveryTitle')}</h2>
      <p>{t('signup.recoveryText')}</p>
    </div>
  );
}

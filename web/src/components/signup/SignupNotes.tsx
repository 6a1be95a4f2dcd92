import { Trans, useTranslation } from 'react-i18next';

interface SignupNotesProps {
  invited: boolean;
  /** The account this browser is logged in as, when that is worth a word. */
  loggedInAs: string | null;
}

/** The lines under the heading: an invite in hand, an account already logged in. */
export function SignupNotes({ invited, loggedInAs }: SignupNotesProps) {
  const { t } = useTranslation();
  return (
    <>
      {invited ? (
        <p className="badge-line">
          <span className="badge badge-good">{t('signup.inviteBadge')}</span>
          <span className="muted">{t('signup.invitedOnce')}</span>
        </p>
      ) : null}
      {loggedInAs !== null ? (
        <p className="muted small">
          <Trans i18nKey="signup.loggedInAs" values={{ name: loggedInAs }} components={{ b: <strong dir="auto" /> }} />
        </p>
      ) : null}
    </>
  );
}

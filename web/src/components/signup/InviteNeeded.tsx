import type { FormEvent } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ErrorAlert, Field } from '../ui';
import { LoginFooter } from './LoginFooter';

interface InviteNeededProps {
  /** What was pasted into the invite field. */
  value: string;
  error: string | null;
  onChange: (value: string) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
}

/** Invite-only server and no invite in the URL: explains, and takes a pasted link. */
export function InviteNeeded({ value, error, onChange, onSubmit }: InviteNeededProps) {
  const { t } = useTranslation();
  return (
    <div className="card js-only">
      <h1>{t('signup.inviteNeededTitle')}</h1>
      <p>
        <Trans i18nKey="signup.inviteNeededText" components={{ b: <strong /> }} />
      </p>
      <form className="form compact" onSubmit={onSubmit} noValidate>
        <Field
          id="invite"
          label={t('signup.pasteInvite')}
          type="text"
          autoComplete="off"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          value={value}
          onChange={(event) => onChange(event.target.value)}
          invalid={error !== null}
        />
        <ErrorAlert message={error} />
        <div className="form-actions">
          <button type="submit" className="button">
            {t('signup.useInvite')}
          </button>
        </div>
      </form>
      <LoginFooter />
    </div>
  );
}

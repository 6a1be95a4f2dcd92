import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactLink } from '@onionchat/client';
import { PassphraseField, ShowPassphrase } from '../PassphraseField';
import { ErrorAlert, Field, StatusMessage, type Feedback } from '../ui';
import { InviterNote } from './InviterNote';
import { LoginFooter } from './LoginFooter';
import { RecoveryWarning } from './RecoveryWarning';
import { SignupNotes } from './SignupNotes';

/** The three inputs of the sign-up form. */
export type SignupInput = 'username' | 'passphrase' | 'confirm';

interface NewAccountFormProps {
  invited: boolean;
  /** Who the invite link says made it (or why that part could not be read). */
  inviter: { inviter: ContactLink | null; problem: string | null };
  loggedInAs: string | null;
  values: Record<SignupInput, string>;
  invalid: Record<SignupInput, boolean>;
  feedback: Record<SignupInput, Feedback | null>;
  show: boolean;
  busy: boolean;
  error: string | null;
  progress: string | null;
  onChange: (input: SignupInput, value: string) => void;
  onBlur: (input: SignupInput) => void;
  onShow: (show: boolean) => void;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
}

/** The sign-up card: username, passphrase twice, the recovery warning. */
export function NewAccountForm(props: NewAccountFormProps) {
  const { values, invalid, feedback, show, busy, onChange, onBlur } = props;
  const { t } = useTranslation();
  return (
    <div className="card js-only">
      <h1>{t('signup.title')}</h1>
      <SignupNotes invited={props.invited} loggedInAs={props.loggedInAs} />
      <InviterNote inviter={props.inviter.inviter} problem={props.inviter.problem} />

      <form className="form" onSubmit={props.onSubmit} noValidate aria-describedby="signup-warning">
        <Field
          id="username"
          label={t('signup.username')}
          hint={t('signup.usernameHint')}
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          maxLength={64}
          required
          value={values.username}
          readOnly={busy}
          onChange={(event) => onChange('username', event.target.value)}
          onBlur={() => onBlur('username')}
          invalid={invalid.username}
          feedback={feedback.username}
        />
        <PassphraseField
          id="passphrase"
          label={t('signup.passphrase')}
          hint={t('signup.passphraseHint')}
          autoComplete="new-password"
          visible={show}
          value={values.passphrase}
          readOnly={busy}
          onChange={(value) => onChange('passphrase', value)}
          onBlur={() => onBlur('passphrase')}
          invalid={invalid.passphrase}
          feedback={feedback.passphrase}
        />
        <PassphraseField
          id="passphrase-confirm"
          label={t('signup.confirm')}
          autoComplete="new-password"
          visible={show}
          value={values.confirm}
          readOnly={busy}
          onChange={(value) => onChange('confirm', value)}
          onBlur={() => onBlur('confirm')}
          invalid={invalid.confirm}
          feedback={feedback.confirm}
        />
        <ShowPassphrase checked={show} onChange={props.onShow} />

        <RecoveryWarning />

        <ErrorAlert message={props.error} />
        <StatusMessage message={props.progress} />

        <div className="form-actions">
          <button type="submit" className="button primary wide" disabled={busy}>
            {busy ? t('signup.creating') : t('signup.submit')}
          </button>
        </div>
      </form>
      <LoginFooter />
    </div>
  );
}

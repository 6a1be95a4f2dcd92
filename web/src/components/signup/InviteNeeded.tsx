import type { FormEvent } from 'react';
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
  return (
    <div className="card js-only">
      <h1>Invite needed</h1>
      <p>
        Registration on this OnionChat server is <strong>invite-only</strong>. Ask someone who already has an account to
        create an invite link for you on their account page, then open that link in Tor Browser.
      </p>
      <form className="form compact" onSubmit={onSubmit} noValidate>
        <Field
          id="invite"
          label="Already have an invite link? Paste it here"
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
            Use invite
          </button>
        </div>
      </form>
      <LoginFooter />
    </div>
  );
}

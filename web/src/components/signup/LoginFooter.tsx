import Link from 'next/link';
import { Trans } from 'react-i18next';

/** The way to the login page, under both sign-up cards. */
export function LoginFooter() {
  return (
    <p className="form-footer">
      <Trans i18nKey="signup.haveAccount" components={{ a: <Link href="/login/" /> }} />
    </p>
  );
}

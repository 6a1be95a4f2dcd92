import Link from 'next/link';

/** The way to the login page, under both sign-up cards. */
export function LoginFooter() {
  return (
    <p className="form-footer">
      Already have an account? <Link href="/login/">Log in</Link>
    </p>
  );
}

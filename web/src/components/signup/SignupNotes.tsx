interface SignupNotesProps {
  invited: boolean;
  /** The account this browser is logged in as, when that is worth a word. */
  loggedInAs: string | null;
}

/** The lines under the heading: an invite in hand, an account already logged in. */
export function SignupNotes({ invited, loggedInAs }: SignupNotesProps) {
  return (
    <>
      {invited ? (
        <p className="badge-line">
          <span className="badge badge-good">Invite link</span>
          <span className="muted">You were invited: this link can be used once.</span>
        </p>
      ) : null}
      {loggedInAs !== null ? (
        <p className="muted small">
          This browser is logged in as <strong>{loggedInAs}</strong>. Creating a new account logs you in as the new
          account instead.
        </p>
      ) : null}
    </>
  );
}

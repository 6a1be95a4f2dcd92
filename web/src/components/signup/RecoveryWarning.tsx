/** Says, before the account exists, that a lost passphrase is lost for good. */
export function RecoveryWarning() {
  return (
    <div className="callout callout-warn" id="signup-warning">
      <h2>Your passphrase cannot be recovered</h2>
      <p>
        There is no “forgot passphrase” button. Your passphrase never leaves this browser, so the server never has it
        and nobody can reset it for you. If you lose it, the account and its keys are gone for good. Write it down
        somewhere safe.
      </p>
    </div>
  );
}

/** Shown while the server is asked whether sign-up is open or invite-only. */
export function CheckingRegistration() {
  return (
    <div className="card js-only" aria-busy="true">
      <h1>Create your account</h1>
      <p className="muted">Checking how sign-up works on this server…</p>
    </div>
  );
}

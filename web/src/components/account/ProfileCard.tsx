import Link from 'next/link';
import { ContactLinkCard } from './ContactLinkCard';
import { type User, formatDate } from '@onionchat/client';

/** Who is logged in, since when, the public key fingerprint to compare and the contact link that carries it. */
export function ProfileCard({ user, fingerprint }: { user: User; fingerprint: string }) {
  return (
    <section className="card profile-card" aria-labelledby="profile-title">
      <h1 id="profile-title" className="visually-hidden">
        Your account
      </h1>
      <div className="profile">
        <span className="avatar avatar-lg" aria-hidden="true">
          {user.username.slice(0, 1).toUpperCase()}
        </span>
        <div className="profile-text">
          <p className="eyebrow">Your account</p>
          <p className="profile-name" data-testid="account-username">
            {user.username}
          </p>
          <p className="muted small">
            Member since <time dateTime={user.createdAt}>{formatDate(user.createdAt)}</time>
          </p>
        </div>
        <Link href="/account/passphrase/" className="button profile-action">
          Change passphrase
        </Link>
      </div>

      <div className="fingerprint-block">
        <h2 className="h3">Public key fingerprint</h2>
        <code className="fingerprint" data-testid="fingerprint">
          {fingerprint}
        </code>
        <p className="hint">
          Compare this with what your contacts see for you, in person or over another channel. If it matches, nobody is
          sitting in the middle.
        </p>
      </div>

      <ContactLinkCard username={user.username} fingerprint={fingerprint} />
    </section>
  );
}

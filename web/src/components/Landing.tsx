'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { PointIcon } from './icons';
import { Logo } from './Logo';
import { useKeystore, useNotice } from '../hooks/keystore';

export function Landing() {
  const { status, user } = useKeystore();
  const notice = useNotice();
  const router = useRouter();

  useEffect(() => {
    if (status === 'unlocked') router.replace('/chat/');
  }, [status, router]);

  return (
    <div className="landing">
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <Logo size={72} className="landing-logo" />
      <h1 className="landing-title">Private chat, encrypted before it leaves your hands.</h1>
      <ul className="points">
        <li>
          <Icon kind="lock" />
          <span>
            <strong>End-to-end encrypted in your browser.</strong> The server only stores what it can&apos;t read.
          </span>
        </li>
        <li>
          <Icon kind="onion" />
          <span>
            <strong>Onion-only.</strong> Reachable only through Tor: no phone number, no email, no trackers.
          </span>
        </li>
        <li>
          <Icon kind="key" />
          <span>
            <strong>Your passphrase is the key.</strong> It never leaves your device, so nobody can reset it, not even
            the server.
          </span>
        </li>
      </ul>

      <div className="landing-actions js-only">
        {status === 'locked' && user ? (
          <>
            <Link className="button primary" href="/login/">
              Unlock as {user.username}
            </Link>
            <p className="muted small">
              This browser is still logged in, but the keys were cleared when the page reloaded.
            </p>
          </>
        ) : (
          <>
            <Link className="button primary" href="/signup/">
              Create account
            </Link>
            <Link className="button" href="/login/">
              Log in
            </Link>
          </>
        )}
      </div>
    </div>
  );
}

function Icon({ kind }: { kind: 'lock' | 'onion' | 'key' }) {
  return (
    <span className="point-icon" aria-hidden="true">
      <PointIcon kind={kind} />
    </span>
  );
}

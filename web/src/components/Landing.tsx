'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useKeystore, useNotice } from '../lib/keystore';
import { Logo } from './Logo';

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
      <svg viewBox="0 0 24 24" width="22" height="22" focusable="false">
        <g fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
          {kind === 'lock' ? (
            <>
              <rect x="5" y="10.5" width="14" height="10" rx="2" />
              <path d="M8 10.5V7.5a4 4 0 0 1 8 0v3" />
              <path d="M12 14.5v2.5" />
            </>
          ) : kind === 'onion' ? (
            <>
              <path d="M12 3c1.8 2.8 7 4.8 7 10a7 7 0 0 1-14 0c0-5.2 5.2-7.2 7-10Z" />
              <path d="M12 8c1 1.7 3.6 3 3.6 5.7a3.6 3.6 0 0 1-7.2 0C8.4 11 11 9.7 12 8Z" />
            </>
          ) : (
            <>
              <circle cx="8" cy="15" r="4.5" />
              <path d="m11.2 11.8 8.3-8.3M16.5 6.5l2.5 2.5M14 9l2 2" />
            </>
          )}
        </g>
      </svg>
    </span>
  );
}

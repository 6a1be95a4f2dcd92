'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useKeystore } from '../lib/keystore';
import { Logo } from './Logo';

export function SiteHeader() {
  const { status, user } = useKeystore();
  // The chat page is a full-window app with its own header (this one is hidden there).
  const inChat = usePathname()?.startsWith('/chat') ?? false;
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <Logo size={30} />
          <span>OnionChat</span>
        </Link>
        <nav aria-label="Main" className="site-nav">
          {inChat ? null : status === 'unlocked' && user ? (
            <>
              <Link href="/chat/" className="nav-link">
                Chats
              </Link>
              <Link href="/account/" className="nav-user">
                <span className="avatar" aria-hidden="true">
                  {user.username.slice(0, 1).toUpperCase()}
                </span>
                <span className="visually-hidden">Account: </span>
                <span className="nav-username">{user.username}</span>
              </Link>
            </>
          ) : status === 'locked' && user ? (
            <Link href="/login/" className="nav-link">
              <LockIcon />
              Unlock
            </Link>
          ) : status === 'anonymous' ? (
            <>
              <Link href="/login/" className="nav-link">
                Log in
              </Link>
              <Link href="/signup/" className="nav-link nav-cta">
                Sign up
              </Link>
            </>
          ) : null}
        </nav>
      </div>
    </header>
  );
}

function LockIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

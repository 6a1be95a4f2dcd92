'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { warmMessenger } from './chat/load-messenger';
import { LockIcon } from './icons';
import { Logo } from './Logo';
import { useKeystore } from '../hooks/keystore';
import { LanguageSwitcher } from '../i18n/LanguageSwitcher';

export function SiteHeader() {
  const { status, user } = useKeystore();
  const { t } = useTranslation();
  // The chat page is a full-window app with its own header (this one is hidden there).
  const inChat = usePathname()?.startsWith('/chat') ?? false;
  // With unlocked keys the "Chats" link is one click away: its messenger chunk (which
  // Next's link prefetch does not reach) is fetched ahead, as the prefetch used to.
  const unlocked = status === 'unlocked';
  useEffect(() => {
    if (unlocked && !inChat) warmMessenger();
  }, [unlocked, inChat]);
  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link href="/" className="brand">
          <Logo size={30} />
          <span>OnionChat</span>
        </Link>
        <nav aria-label={t('header.mainNav')} className="site-nav">
          {inChat ? null : status === 'unlocked' && user ? (
            <>
              <Link href="/chat/" className="nav-link">
                {t('header.chats')}
              </Link>
              <Link href="/account/" className="nav-user">
                <span className="avatar" aria-hidden="true">
                  {user.username.slice(0, 1).toUpperCase()}
                </span>
                <span className="visually-hidden">{t('header.account')}</span>
                <span className="nav-username" dir="auto">
                  {user.username}
                </span>
              </Link>
            </>
          ) : status === 'locked' && user ? (
            <Link href="/login/" className="nav-link">
              <LockIcon size={16} strokeWidth={1.5} />
              {t('header.unlock')}
            </Link>
          ) : status === 'anonymous' ? (
            <>
              <Link href="/login/" className="nav-link">
                {t('header.logIn')}
              </Link>
              <Link href="/signup/" className="nav-link nav-cta">
                {t('header.signUp')}
              </Link>
            </>
          ) : null}
        </nav>
        <LanguageSwitcher />
      </div>
    </header>
  );
}

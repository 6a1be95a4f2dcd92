'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { OnDemand } from '../OnDemand';
import { ErrorAlert, Loading } from '../ui';
import { useKeystore } from '../../hooks/keystore';
import { loadMessenger } from './load-messenger';

export function ChatApp() {
  const { status, user, identity, vault } = useKeystore();
  const router = useRouter();
  const { t } = useTranslation();

  // Full-window layout (see globals.css) for as long as the chat is on screen.
  useEffect(() => {
    document.documentElement.classList.add('chat-mode');
    return () => document.documentElement.classList.remove('chat-mode');
  }, []);

  // Keys are only ever in memory: after a reload, unlock first and come back here.
  useEffect(() => {
    if (status === 'anonymous' || status === 'locked') {
      const back = `/chat/${window.location.hash}`;
      router.replace(`/login/#next=${encodeURIComponent(back)}`);
    }
  }, [status, router]);

  if (status !== 'unlocked' || !user || !identity) {
    return (
      <div className="chat-app chat-app-waiting js-only">
        <Loading label={status === 'loading' ? t('chat.loading') : t('chat.lockedRedirect')} />
      </div>
    );
  }
  // The messenger needs unlocked keys, so a first load of this page (keys live only in
  // memory) never shows it: it comes in its own chunk, once there are keys.
  return (
    <OnDemand
      load={loadMessenger}
      props={{ user, identity, vault }}
      loading={
        <div className="chat-app chat-app-waiting js-only">
          <Loading label={t('chat.opening')} />
        </div>
      }
      failed={(retry) => (
        <div className="chat-app chat-app-waiting js-only">
          <div className="card">
            <ErrorAlert message={t('chat.loadFailed')} />
            <button type="button" className="button primary" onClick={retry}>
              {t('chat.tryAgain')}
            </button>
          </div>
        </div>
      )}
    />
  );
}

'use client';

import { type ChatSnapshot, type ConnectionState } from '@onionchat/client';
import { useTranslation } from 'react-i18next';

const LABELS: Record<ConnectionState, string> = {
  connected: 'chat.connection.connected',
  connecting: 'chat.connection.connecting',
  offline: 'chat.connection.offline',
};

/** The small status light in the sidebar. The banner below does the announcing. */
export function ConnectionIndicator({ state, connectedOnce }: { state: ConnectionState; connectedOnce: boolean }) {
  const { t } = useTranslation();
  const label = t(state === 'connecting' && connectedOnce ? 'chat.connection.reconnecting' : LABELS[state]);
  return (
    <p className={`conn conn-${state}`} data-testid="connection" data-state={state}>
      {/* On phones in a conversation only the dot shows, so it carries the words itself. */}
      <span className="conn-dot" role="img" aria-label={t('chat.connection.live', { state: label })} title={label} />
      <span aria-hidden="true">{label}</span>
    </p>
  );
}

/** Shown above the conversation while the live connection is down. */
export function ConnectionBanner({ snapshot, onRetry }: { snapshot: ChatSnapshot; onRetry: () => void }) {
  const { connection, connectedOnce, queued, refusal } = snapshot;
  const down = connection === 'offline' || (connection === 'connecting' && connectedOnce);
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  const { t } = useTranslation();
  return (
    <div className="conn-banner-slot" role="status">
      {down ? (
        <div className="conn-banner">
          <span className="spinner" aria-hidden="true" />
          <p>
            <strong>{offline ? t('chat.connection.youAreOffline') : t('chat.connection.reconnecting')}</strong>{' '}
            {refusal && !offline ? <span data-testid="connection-refusal">{refusal} </span> : null}
            {queued > 0 ? t('chat.connection.queued', { count: queued }) : t('chat.connection.willSend')}
          </p>
          {offline ? null : (
            <button type="button" className="button small" onClick={onRetry}>
              {t('chat.connection.tryNow')}
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}

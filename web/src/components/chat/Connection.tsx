'use client';

import { type ChatSnapshot, type ConnectionState } from '@onionchat/client';

const LABELS: Record<ConnectionState, string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
};

/** The small status light in the sidebar. The banner below does the announcing. */
export function ConnectionIndicator({ state, connectedOnce }: { state: ConnectionState; connectedOnce: boolean }) {
  const label = state === 'connecting' && connectedOnce ? 'Reconnecting…' : LABELS[state];
  return (
    <p className={`conn conn-${state}`} data-testid="connection" data-state={state}>
      {/* On phones in a conversation only the dot shows, so it carries the words itself. */}
      <span className="conn-dot" role="img" aria-label={`Live connection: ${label}`} title={label} />
      <span aria-hidden="true">{label}</span>
    </p>
  );
}

/** Shown above the conversation while the live connection is down. */
export function ConnectionBanner({ snapshot, onRetry }: { snapshot: ChatSnapshot; onRetry: () => void }) {
  const { connection, connectedOnce, queued, refusal } = snapshot;
  const down = connection === 'offline' || (connection === 'connecting' && connectedOnce);
  const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
  return (
    <div className="conn-banner-slot" role="status">
      {down ? (
        <div className="conn-banner">
          <span className="spinner" aria-hidden="true" />
          <p>
            <strong>{offline ? 'You are offline.' : 'Reconnecting…'}</strong>{' '}
            {refusal && !offline ? <span data-testid="connection-refusal">{refusal} </span> : null}
            {queued > 0
              ? `${queued === 1 ? '1 message' : `${queued} messages`} will be sent when the connection is back.`
              : 'Messages will be sent when the connection is back.'}
          </p>
          {offline ? null : (
            <button type="button" className="button small" onClick={onRetry}>
              Try now
            </button>
          )}
        </div>
      ) : null}
    </div>
  );
}

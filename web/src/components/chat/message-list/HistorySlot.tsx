import { useTranslation } from 'react-i18next';
import { LockIcon } from '../../icons';
import { type RoomState } from '@onionchat/client';

interface HistorySlotProps {
  state: RoomState | undefined;
  /** No message is held yet. */
  empty: boolean;
  peerName: string;
  /** A group: only its members can read it. */
  group?: boolean;
  onLoadOlder: () => void;
}

/** The top of the list: older messages loading, a button to load them, or the very beginning. */
export function HistorySlot({ state, empty, peerName, group = false, onLoadOlder }: HistorySlotProps) {
  const { t } = useTranslation();
  return (
    <div className="history-slot">
      {!state || (!state.loaded && empty) ? null : state.loadingOlder || state.partial ? (
        <span className="history-loading">
          <span className="spinner" aria-hidden="true" />
          {t('chat.history.loadingOlder')}
        </span>
      ) : state.hasOlder ? (
        <button type="button" className="button small ghost" onClick={onLoadOlder}>
          {t('chat.history.loadOlder')}
        </button>
      ) : group ? (
        <p className="history-start">
          <LockIcon /> {t('chat.history.startGroup', { name: peerName })}
        </p>
      ) : (
        <p className="history-start">
          <LockIcon /> {t('chat.history.startDirect', { name: peerName })}
        </p>
      )}
    </div>
  );
}

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
  return (
    <div className="history-slot">
      {!state || (!state.loaded && empty) ? null : state.loadingOlder || state.partial ? (
        <span className="history-loading">
          <span className="spinner" aria-hidden="true" />
          Loading older messages…
        </span>
      ) : state.hasOlder ? (
        <button type="button" className="button small ghost" onClick={onLoadOlder}>
          Load older messages
        </button>
      ) : group ? (
        <p className="history-start">
          <LockIcon /> This is the beginning of {peerName} as far as you can read it. Messages are end-to-end encrypted:
          only the members of the group at the time can read them.
        </p>
      ) : (
        <p className="history-start">
          <LockIcon /> This is the beginning of your conversation with {peerName}. Messages are end-to-end encrypted:
          only the two of you can read them.
        </p>
      )}
    </div>
  );
}

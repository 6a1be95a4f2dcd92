import { Loading } from '../../ui';
import { type RoomState } from '@onionchat/client';

interface ListPlaceholderProps {
  state: RoomState | undefined;
  /** No message is held yet. */
  empty: boolean;
  peerName: string;
  group?: boolean;
}

/** In place of messages: loading them, or none yet. */
export function ListPlaceholder({ state, empty, peerName, group = false }: ListPlaceholderProps) {
  if (!state || (!state.loaded && empty)) return state?.error ? null : <Loading label="Loading messages…" />;
  if (!empty) return null;
  return (
    <p className="conversation-empty">
      {group ? 'No messages yet. Say hello to the group!' : `No messages yet. Say hello to ${peerName}!`}
    </p>
  );
}

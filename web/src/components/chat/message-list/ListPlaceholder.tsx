import { Loading } from '../../ui';
import { type RoomState } from '@onionchat/client';

interface ListPlaceholderProps {
  state: RoomState | undefined;
  /** No message is held yet. */
  empty: boolean;
  peerName: string;
}

/** In place of messages: loading them, or none yet. */
export function ListPlaceholder({ state, empty, peerName }: ListPlaceholderProps) {
  if (!state || (!state.loaded && empty)) return state?.error ? null : <Loading label="Loading messages…" />;
  return empty ? <p className="conversation-empty">No messages yet. Say hello to {peerName}!</p> : null;
}

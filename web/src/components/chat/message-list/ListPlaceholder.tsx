import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  if (!state || (!state.loaded && empty)) return state?.error ? null : <Loading label={t('chat.history.loading')} />;
  if (!empty) return null;
  return (
    <p className="conversation-empty">
      {group ? t('chat.history.emptyGroup') : t('chat.history.emptyDirect', { name: peerName })}
    </p>
  );
}

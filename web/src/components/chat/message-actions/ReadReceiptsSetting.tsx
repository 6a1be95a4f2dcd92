'use client';

import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatSession } from '@onionchat/client';

/**
 * Read receipts on or off, for this tab. Off works both ways, as people expect: this
 * account no longer says what it has read, and sees no one's "Read". "Delivered" stays.
 */
export function ReadReceiptsSetting({ session, on }: { session: ChatSession; on: boolean }) {
  const { t } = useTranslation();
  const hint = useId();
  return (
    <div className="setting-row">
      <label>
        <input
          type="checkbox"
          checked={on}
          aria-describedby={hint}
          data-testid="read-receipts"
          onChange={(event) => session.setReadReceipts(event.target.checked)}
        />{' '}
        {t('chat.receipts.label')}
      </label>
      <p id={hint} className="setting-hint">
        {t('chat.receipts.hint')}
      </p>
    </div>
  );
}

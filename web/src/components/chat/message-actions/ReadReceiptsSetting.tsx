'use client';

import { useId } from 'react';
import type { ChatSession } from '@onionchat/client';

/**
 * Read receipts on or off, for this tab. Off works both ways, as people expect: this
 * account no longer says what it has read, and sees no one's "Read". "Delivered" stays.
 */
export function ReadReceiptsSetting({ session, on }: { session: ChatSession; on: boolean }) {
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
        Send read receipts
      </label>
      <p id={hint} className="setting-hint">
        Others see “Read” under their messages once you have seen them, and you see it under yours. Turned off, neither
        is shown; “Delivered” still is. Receipts are signed and encrypted like messages: the server cannot read or forge
        them. This choice lasts until the tab is closed.
      </p>
    </div>
  );
}

'use client';

import { useTranslation } from 'react-i18next';
import { useRef, useState } from 'react';

interface CopyableLinkProps {
  link: string;
  testId: string;
  /** Shown under the link until the copy button says what it did. */
  note?: string;
}

/**
 * A link to hand to someone, with a copy button. Where the clipboard is refused (Tor
 * Browser may ask, or deny it), the link is selected instead so the person can copy it.
 */
export function CopyableLink({ link, testId, note = '' }: CopyableLinkProps) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<{ link: string; note: string } | null>(null);
  const linkRef = useRef<HTMLElement>(null);

  async function onCopy() {
    try {
      await navigator.clipboard.writeText(link);
      setCopied({ link, note: t('copyLink.copied') });
    } catch {
      const element = linkRef.current;
      const selection = window.getSelection();
      if (element && selection) {
        const range = document.createRange();
        range.selectNodeContents(element);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setCopied({ link, note: t('copyLink.selected') });
    }
  }

  // A new link (another invite) starts without the last one's note.
  const shown = copied?.link === link ? copied.note : note;
  return (
    <>
      <div className="copy-row">
        <code className="invite-link" data-testid={testId} ref={linkRef}>
          {link}
        </code>
        <button type="button" className="button small" onClick={onCopy}>
          {t('copyLink.copy')}
        </button>
      </div>
      <p className="muted small" aria-live="polite">
        {shown}
      </p>
    </>
  );
}

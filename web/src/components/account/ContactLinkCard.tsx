'use client';

import { useMemo, useRef, useState } from 'react';
import { QrCode } from '../chat/SafetyNumber';
import { contactLink } from '@onionchat/client';

/**
 * This account's contact link: whoever adds the account from it gets its keys checked
 * against the fingerprint the link carries, and marked verified when they match.
 */
export function ContactLinkCard({ username, fingerprint }: { username: string; fingerprint: string }) {
  const link = useMemo(() => contactLink(window.location.origin, username, fingerprint), [username, fingerprint]);
  const [note, setNote] = useState('');
  const linkRef = useRef<HTMLElement>(null);

  async function onCopy() {
    try {
      await navigator.clipboard.writeText(link);
      setNote('Copied to the clipboard.');
    } catch {
      const element = linkRef.current;
      const selection = window.getSelection();
      if (element && selection) {
        const range = document.createRange();
        range.selectNodeContents(element);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setNote('The link is selected: press Ctrl+C (or ⌘C) to copy it.');
    }
  }

  return (
    <div className="fingerprint-block" data-testid="contact-link-section">
      <h2 className="h3">Your contact link</h2>
      <p className="hint">
        Give this link to people over a channel you trust (in person, or a messenger you already use). When they paste
        it into “Add a friend”, their app checks that the server hands out your real keys, and marks you verified.
      </p>
      <div className="copy-row">
        <code className="invite-link" data-testid="contact-link" ref={linkRef}>
          {link}
        </code>
        <button type="button" className="button small" onClick={onCopy}>
          Copy link
        </button>
      </div>
      <p className="muted small" aria-live="polite">
        {note}
      </p>
      <QrCode data={link} label={`Contact link of ${username} as a QR code`} testId="contact-link-qr" />
      <p className="hint">The code holds the same link: a phone’s camera app can read it and open or copy the link.</p>
    </div>
  );
}

'use client';

// Key verification: the safety number of a conversation (digits and a QR code), the
// verified badge, and the warnings shown when the server presents a new key.

import { useEffect, useId, useRef, useState } from 'react';
import { QrCode } from '../QrCode';
import { VerifiedIcon } from '../icons';
import { ErrorAlert, StatusMessage } from '../ui';
import { ModalDialog } from './ModalDialog';
import { QrScanner, useCameraAvailable } from '../qr-scan/QrScanner';
import {
  type SafetyNumber as Number_,
  compareSafetyScan,
  describeError,
  type ChatSession,
  type PeerTrust,
  type SafetyScan,
} from '@onionchat/client';

export function TrustBadge({ trust }: { trust: PeerTrust | null }) {
  if (trust?.state !== 'verified') return null;
  return (
    <span className="trust-badge" data-testid="verified-badge" title="You compared safety numbers with this person">
      <VerifiedIcon />
      Verified
    </span>
  );
}

/** Sending is blocked until the person reviews the new key. */
export function KeyChangeBanner({ trust, onReview }: { trust: PeerTrust | null; onReview: () => void }) {
  if (!trust || (trust.state !== 'changed' && trust.state !== 'changed-verified' && trust.state !== 'invalid')) {
    return null;
  }
  const loud = trust.state === 'changed-verified';
  return (
    <div
      className={loud ? 'key-warning key-warning-loud' : 'key-warning'}
      role="alert"
      data-testid="key-change-warning"
    >
      <p>
        <strong>
          {trust.state === 'invalid'
            ? `${trust.username}’s keys do not check out.`
            : `${trust.username}’s safety number has changed.`}
        </strong>{' '}
        {trust.state === 'invalid'
          ? 'The server sent keys that are not validly signed. Nothing can be sent to this conversation.'
          : 'They may have set up a new account, or the server may be trying to listen in. Sending is paused until you compare the new safety number with them in person or over another channel.'}
      </p>
      {trust.state === 'invalid' ? null : (
        <button type="button" className="button small" onClick={onReview}>
          Review safety number
        </button>
      )}
    </div>
  );
}

/** A verified contact's key changed: a blocking alert, shown once per conversation visit. */
export function VerifiedChangeAlert({
  trust,
  onReview,
  onDismiss,
}: {
  trust: PeerTrust | null;
  onReview: () => void;
  onDismiss: () => void;
}) {
  return (
    <ModalDialog
      open={trust?.state === 'changed-verified'}
      alert
      title={`${trust?.username}’s verified safety number changed`}
      testId="verified-key-change"
      onCancel={onDismiss}
      actions={
        <>
          <button type="button" className="button" onClick={onDismiss}>
            Not now
          </button>
          <button type="button" className="button danger-solid" data-autofocus onClick={onReview}>
            Review safety number
          </button>
        </>
      }
    >
      <p>
        You had verified {trust?.username}, but the server now presents a different key for them. Unless they told you
        they set up their account again, someone (possibly the server) may be impersonating them.
      </p>
      <p>Nothing will be sent to this conversation, and their new messages stay hidden, until you review it.</p>
    </ModalDialog>
  );
}

interface SafetyNumberDialogProps {
  open: boolean;
  session: ChatSession;
  userId: string;
  trust: PeerTrust | null;
  onClose: () => void;
}

export function SafetyNumberDialog({ open, session, userId, trust, onClose }: SafetyNumberDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [number, setNumber] = useState<Number_ | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** What the camera read, compared with `number`. */
  const [scan, setScan] = useState<SafetyScan | null>(null);
  const camera = useCameraAvailable();
  const presented = trust?.presented ?? null;
  const changed = trust?.state === 'changed' || trust?.state === 'changed-verified';
  const name = trust?.username ?? 'this person';

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);

  useEffect(() => {
    if (!open || !presented) return;
    let cancelled = false;
    setNumber(null);
    setError(null);
    setScan(null);
    session.safetyNumberWith(userId).then(
      (computed) => !cancelled && setNumber(computed),
      (caught: unknown) => !cancelled && setError(describeError(caught)),
    );
    return () => {
      cancelled = true;
    };
  }, [open, session, userId, presented]);

  function decide(verified: boolean) {
    try {
      session.setTrust(userId, verified);
      onClose();
    } catch (caught) {
      setError(describeError(caught));
    }
  }

  return (
    <dialog
      ref={ref}
      className="confirm-dialog safety-dialog"
      aria-labelledby={titleId}
      data-testid="safety-number-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId}>{changed ? `${name}’s new safety number` : `Verify safety number with ${name}`}</h2>
      <div className="confirm-body">
        <p>
          Compare these numbers with {name} in person, or over another channel you trust. If they match on both devices,
          nobody (not even the server) is in the middle of your conversation.
        </p>
        <p className="muted small">
          Quicker: ask {name} for their contact link (on their account page) and paste it into “Add a friend”. This app
          checks the keys against it and marks {name} verified if they match.
        </p>
      </div>
      {number ? (
        <div className="safety-number">
          <QrCode data={number.qr} label={`Safety number code for you and ${name}`} testId="safety-qr" />
          <p className="safety-digits" data-testid="safety-number" aria-label={number.groups.join(' ')}>
            {number.groups.map((group, i) => (
              <span key={i}>{group}</span>
            ))}
          </p>
          <p className="muted small safety-how" data-testid="safety-how">
            {camera
              ? `Compare the digits, read aloud or side by side, or scan the code on ${name}’s screen with your camera.`
              : 'Compare the digits, read aloud or side by side. The square code holds the same number, for apps that can read it.'}
          </p>
          {open ? (
            <QrScanner
              label={`Camera view for ${name}’s safety number code`}
              testId="safety-scan"
              onResult={({ bytes }) => setScan(compareSafetyScan(bytes, number, name))}
            />
          ) : null}
          <ScanOutcome scan={scan} name={name} />
        </div>
      ) : error ? null : (
        <p className="safety-computing" role="status">
          Computing…
        </p>
      )}
      {error ? <ErrorAlert message={error} /> : null}
      <div className="confirm-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        {changed ? (
          <button type="button" className="button" onClick={() => decide(false)} disabled={!number}>
            Accept new key without verifying
          </button>
        ) : null}
        {trust?.state === 'verified' ? (
          <button type="button" className="button" onClick={() => decide(false)}>
            Clear verification
          </button>
        ) : (
          <button type="button" className="button primary" onClick={() => decide(true)} disabled={!number}>
            Mark as verified
          </button>
        )}
      </div>
    </dialog>
  );
}

/** The scanned code against the one shown here: a match offers verifying, anything else warns. */
function ScanOutcome({ scan, name }: { scan: SafetyScan | null; name: string }) {
  if (!scan) return null;
  if (scan.kind === 'match') {
    return (
      <div className="qr-scan-result" data-testid="safety-scan-match">
        <StatusMessage
          tone="success"
          message={`The code matches: ${name}’s device shows the same safety number. Press “Mark as verified” to record it.`}
        />
      </div>
    );
  }
  return (
    <div className="qr-scan-result" data-testid="safety-scan-mismatch">
      <ErrorAlert message={scan.message} />
    </div>
  );
}

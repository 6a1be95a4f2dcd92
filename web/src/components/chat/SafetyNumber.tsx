'use client';

// Key verification: the safety number of a conversation (digits and a QR code), the
// verified badge, and the warnings shown when the server presents a new key.

import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDescribeError } from '../../i18n/describe-error';
import { QrCode } from '../QrCode';
import { VerifiedIcon } from '../icons';
import { ErrorAlert, StatusMessage } from '../ui';
import { ModalDialog } from './ModalDialog';
import { QrScanner, useCameraAvailable } from '../qr-scan/QrScanner';
import {
  type SafetyNumber as Number_,
  compareSafetyScan,
  type ChatSession,
  type PeerTrust,
  type SafetyScan,
} from '@onionchat/client';

export function TrustBadge({ trust }: { trust: PeerTrust | null }) {
  const { t } = useTranslation();
  if (trust?.state !== 'verified') return null;
  return (
    <span className="trust-badge" data-testid="verified-badge" title={t('chat.safety.badgeTitle')}>
      <VerifiedIcon />
      {t('chat.safety.verified')}
    </span>
  );
}

/** Sending is blocked until the person reviews the new key. */
export function KeyChangeBanner({ trust, onReview }: { trust: PeerTrust | null; onReview: () => void }) {
  const { t } = useTranslation();
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
            ? t('chat.safety.invalidTitle', { name: trust.username })
            : t('chat.safety.changedTitle', { name: trust.username })}
        </strong>{' '}
        {trust.state === 'invalid' ? t('chat.safety.invalidText') : t('chat.safety.changedText')}
      </p>
      {trust.state === 'invalid' ? null : (
        <button type="button" className="button small" onClick={onReview}>
          {t('chat.safety.review')}
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
  const { t } = useTranslation();
  return (
    <ModalDialog
      open={trust?.state === 'changed-verified'}
      alert
      title={t('chat.safety.verifiedChangedTitle', { name: trust?.username })}
      testId="verified-key-change"
      onCancel={onDismiss}
      actions={
        <>
          <button type="button" className="button" onClick={onDismiss}>
            {t('chat.safety.notNow')}
          </button>
          <button type="button" className="button danger-solid" data-autofocus onClick={onReview}>
            {t('chat.safety.review')}
          </button>
        </>
      }
    >
      <p>{t('chat.safety.verifiedChangedText', { name: trust?.username })}</p>
      <p>{t('chat.safety.verifiedChangedHold')}</p>
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
  const { t } = useTranslation();
  const describeError = useDescribeError();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [number, setNumber] = useState<Number_ | null>(null);
  const [error, setError] = useState<string | null>(null);
  /** What the camera read, compared with `number`. */
  const [scan, setScan] = useState<SafetyScan | null>(null);
  const camera = useCameraAvailable();
  const presented = trust?.presented ?? null;
  const changed = trust?.state === 'changed' || trust?.state === 'changed-verified';
  const name = trust?.username ?? t('chat.safety.thisPerson');

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
  }, [open, session, userId, presented, describeError]);

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
      <h2 id={titleId}>{changed ? t('chat.safety.newTitle', { name }) : t('chat.safety.verifyTitle', { name })}</h2>
      <div className="confirm-body">
        <p>{t('chat.safety.compare', { name })}</p>
        <p className="muted small">{t('chat.safety.quicker', { name })}</p>
      </div>
      {number ? (
        <div className="safety-number">
          <QrCode data={number.qr} label={t('chat.safety.qrLabel', { name })} testId="safety-qr" />
          <p className="safety-digits" data-testid="safety-number" aria-label={number.groups.join(' ')}>
            {number.groups.map((group, i) => (
              <span key={i}>{group}</span>
            ))}
          </p>
          <p className="muted small safety-how" data-testid="safety-how">
            {camera ? t('chat.safety.howCamera', { name }) : t('chat.safety.how')}
          </p>
          {open ? (
            <QrScanner
              label={t('chat.safety.scanLabel', { name })}
              testId="safety-scan"
              onResult={({ bytes }) => setScan(compareSafetyScan(bytes, number, name))}
            />
          ) : null}
          <ScanOutcome scan={scan} name={name} />
        </div>
      ) : error ? null : (
        <p className="safety-computing" role="status">
          {t('chat.safety.computing')}
        </p>
      )}
      {error ? <ErrorAlert message={error} /> : null}
      <div className="confirm-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('chat.safety.close')}
        </button>
        {changed ? (
          <button type="button" className="button" onClick={() => decide(false)} disabled={!number}>
            {t('chat.safety.acceptUnverified')}
          </button>
        ) : null}
        {trust?.state === 'verified' ? (
          <button type="button" className="button" onClick={() => decide(false)}>
            {t('chat.safety.clear')}
          </button>
        ) : (
          <button type="button" className="button primary" onClick={() => decide(true)} disabled={!number}>
            {t('chat.safety.markVerified')}
          </button>
        )}
      </div>
    </dialog>
  );
}

/** The scanned code against the one shown here: a match offers verifying, anything else warns. */
function ScanOutcome({ scan, name }: { scan: SafetyScan | null; name: string }) {
  const { t } = useTranslation();
  if (!scan) return null;
  if (scan.kind === 'match') {
    return (
      <div className="qr-scan-result" data-testid="safety-scan-match">
        <StatusMessage tone="success" message={t('chat.safety.scanMatch', { name })} />
      </div>
    );
  }
  return (
    <div className="qr-scan-result" data-testid="safety-scan-mismatch">
      <ErrorAlert message={scan.message} />
    </div>
  );
}

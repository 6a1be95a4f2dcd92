'use client';

import { useTranslation } from 'react-i18next';
import { OnDemand } from './OnDemand';
import type { QrCodeProps } from './QrCodeSvg';

const loadQrCode = () => import('./QrCodeSvg');

/**
 * A QR code. Only shown once keys are unlocked (the contact link, the safety number),
 * so the encoder comes in its own chunk when the first one is drawn.
 */
export function QrCode(props: QrCodeProps) {
  const { t } = useTranslation();
  return (
    <OnDemand
      load={loadQrCode}
      props={props}
      loading={<span className="safety-qr qr-pending" aria-hidden="true" />}
      failed={(retry) => (
        <button type="button" className="safety-qr qr-pending link-button" onClick={retry}>
          {t('qr.retry')}
        </button>
      )}
    />
  );
}

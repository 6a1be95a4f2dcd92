'use client';

// The QR encoder (qrcode, ~11 KB compressed) and its drawing: a chunk of its own, loaded
// by ./QrCode.tsx when a code is first shown.

import QRCode from 'qrcode';
import { useMemo } from 'react';

export interface QrCodeProps {
  /** Bytes, or a link's text. */
  data: Uint8Array | string;
  label: string;
  testId: string;
}

/**
 * A QR code (of bytes, or of a link's text) drawn as one SVG path (qrcode's pure-JS
 * encoder; nothing leaves the page).
 */
export default function QrCodeSvg({ data, label, testId }: QrCodeProps) {
  const { size, path } = useMemo(() => {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const code = QRCode.create([{ data: bytes, mode: 'byte' }], { errorCorrectionLevel: 'M' });
    const { size: n } = code.modules;
    let d = '';
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) if (code.modules.get(row, col)) d += `M${col + 4} ${row + 4}h1v1h-1z`;
    }
    return { size: n + 8, path: d };
  }, [data]);
  return (
    <svg
      className="safety-qr"
      data-testid={testId}
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}

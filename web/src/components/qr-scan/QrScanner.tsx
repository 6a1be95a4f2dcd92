'use client';

// A QR code read with the camera, only after the person presses "Scan with camera". The
// video stays in this page's memory: no frame is stored or sent anywhere, and the camera
// is stopped as soon as a code is read, the person stops, or the component goes away
// (its dialog closed). Where the browser gives no camera, nothing is shown at all.

import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../ui';
import { cameraMayExist, cameraProblem } from './camera-support';
import { readFrames, type ScannedCode } from './frame-reader';
import './qr-scan.css';

export type { ScannedCode } from './frame-reader';

type Phase = 'starting' | 'scanning' | null;

interface QrScannerProps {
  /** What the video shows, for screen readers ("Camera view for Bob's code"). */
  label: string;
  testId: string;
  /** Called once with the first code read; the camera is already stopped. */
  onResult: (code: ScannedCode) => void;
}

/** Whether a camera may exist here (null while asking the browser). */
export function useCameraAvailable(): boolean | null {
  const [available, setAvailable] = useState<boolean | null>(null);
  useEffect(() => {
    let live = true;
    void cameraMayExist().then((yes) => live && setAvailable(yes));
    return () => {
      live = false;
    };
  }, []);
  return available;
}

export function QrScanner({ label, testId, onResult }: QrScannerProps) {
  const { t } = useTranslation();
  const available = useCameraAvailable();
  const [phase, setPhase] = useState<Phase>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const stopReading = useRef<(() => void) | null>(null);
  const latest = useRef(onResult);
  latest.current = onResult;
  /** Bumped on every start and stop, so a camera that arrives after a stop is shut at once. */
  const attempt = useRef(0);

  const stop = useCallback(() => {
    attempt.current += 1;
    stopReading.current?.();
    stopReading.current = null;
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setPhase(null);
  }, []);

  // Closing the dialog (unmounting) turns the camera off.
  useEffect(() => stop, [stop]);

  async function start() {
    stop();
    const mine = attempt.current;
    setProblem(null);
    setPhase('starting');
    try {
      const [media, decoder] = await Promise.all([
        navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
        import('jsqr'),
      ]);
      if (attempt.current !== mine) {
        for (const track of media.getTracks()) track.stop();
        return;
      }
      stream.current = media;
      const video = videoRef.current!;
      video.srcObject = media;
      await video.play();
      if (attempt.current !== mine) return;
      setPhase('scanning');
      stopReading.current = readFrames(video, decoder.default, (code) => {
        stop();
        latest.current(code);
      });
    } catch (error) {
      if (attempt.current !== mine) return;
      stop();
      setProblem(cameraProblem(error));
    }
  }

  if (!available) return null;
  return (
    <div className="qr-scanner" data-testid={testId}>
      <video ref={videoRef} className="qr-scanner-video" aria-label={label} muted playsInline hidden={phase === null} />
      {phase === null ? (
        <button type="button" className="button small" onClick={() => void start()}>
          {t('qr.scan.start')}
        </button>
      ) : (
        <div className="qr-scanner-status">
          <span role="status">{phase === 'starting' ? t('qr.scan.starting') : t('qr.scan.hold')}</span>
          <button type="button" className="button small" onClick={stop}>
            {t('qr.scan.stop')}
          </button>
        </div>
      )}
      {problem ? <ErrorAlert message={problem} className="compact-alert" /> : null}
    </div>
  );
}

// Reads QR codes off a playing video: a frame at a time, at a modest rate, from a
// downscaled canvas. jsQR is plain JavaScript (no WebAssembly), so it runs at Tor
// Browser's Safer level too, where there is no JIT: a 400-pixel frame then costs tens of
// milliseconds, a full 640x480 one about 220 ms, hence the downscale and the pause.

/** Time between two decodes: quick enough to feel live, slow enough for a JIT-less browser. */
export const SCAN_EVERY_MS = 300;
/** Longest side of the frame handed to the decoder. */
export const SCAN_MAX_SIDE = 400;

export interface ScannedCode {
  /** The code's raw bytes (a safety-number code is binary). */
  bytes: Uint8Array;
  /** The same, read as text (a contact link). */
  text: string;
}

type Decode = typeof import('jsqr').default;

/**
 * Decodes frames of `video` until one holds a QR code, then calls `found` once. Returns
 * a function that stops reading (the caller stops the camera).
 */
export function readFrames(video: HTMLVideoElement, decode: Decode, found: (code: ScannedCode) => void): () => void {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let timer: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;

  const tick = () => {
    timer = null;
    if (stopped || !context) return;
    const { videoWidth: w, videoHeight: h } = video;
    if (w > 0 && h > 0) {
      const scale = Math.min(1, SCAN_MAX_SIDE / Math.max(w, h));
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = decode(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
      if (code) {
        stopped = true;
        found({ bytes: Uint8Array.from(code.binaryData), text: code.data });
        return;
      }
    }
    timer = setTimeout(tick, SCAN_EVERY_MS);
  };
  timer = setTimeout(tick, SCAN_EVERY_MS);
  return () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
  };
}

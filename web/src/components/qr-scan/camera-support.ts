// Whether this browser can give the page a camera at all. Tor Browser, an insecure
// context or a machine without a camera cannot: then nothing offers scanning.

import { i18n } from '../../i18n/i18n';

/** getUserMedia exists (only in a secure context, which an http .onion page is in Tor Browser). */
export function cameraApiPresent(): boolean {
  return (
    typeof window !== 'undefined' &&
    window.isSecureContext &&
    typeof navigator.mediaDevices?.getUserMedia === 'function'
  );
}

/**
 * The API is there and the browser lists a video input (before permission browsers list
 * devices without names, which is enough). A browser that will not list devices is given
 * the benefit of the doubt: pressing the button then explains what went wrong.
 */
export async function cameraMayExist(): Promise<boolean> {
  if (!cameraApiPresent() || !policyAllowsCamera()) return false;
  if (typeof navigator.mediaDevices.enumerateDevices !== 'function') return true;
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.some((device) => device.kind === 'videoinput');
  } catch {
    return true;
  }
}

/** The page's Permissions-Policy (where the browser exposes it) lets it ask for the camera. */
function policyAllowsCamera(): boolean {
  const policy = (document as { permissionsPolicy?: { allowsFeature?: (name: string) => boolean } }).permissionsPolicy;
  const legacy = (document as { featurePolicy?: { allowsFeature?: (name: string) => boolean } }).featurePolicy;
  const check = policy?.allowsFeature ? policy : legacy;
  return check?.allowsFeature ? check.allowsFeature('camera') : true;
}

/** A sentence for why the camera did not start. */
export function cameraProblem(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return i18n.t('qr.scan.notAllowed');
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
    return i18n.t('qr.scan.noCamera');
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return i18n.t('qr.scan.inUse');
  }
  return i18n.t('qr.scan.failed');
}

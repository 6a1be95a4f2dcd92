// Security headers for everything the server sends (helmet), minus what would break an
// http onion site (HSTS, upgrade-insecure-requests), plus a strict policy for the API.
import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import { API_CSP } from './csp.js';

// The camera only for this site's own pages (QR scanning, after a press and the browser's prompt).
const PERMISSIONS_POLICY = 'camera=(self), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

const baseHeaders = helmet({
  contentSecurityPolicy: false, // set per response: pages get their own, see csp.ts
  strictTransportSecurity: false, // onion sites are http; tor provides the encryption
  crossOriginEmbedderPolicy: false,
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  referrerPolicy: { policy: 'no-referrer' },
  frameguard: { action: 'deny' },
  xPoweredBy: false,
});

export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  baseHeaders(req, res, () => {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    // Pages replace this with their own policy when served (static.ts).
    res.setHeader('Content-Security-Policy', API_CSP);
    if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
    next();
  });
}

// The session cookie: HttpOnly so page scripts (and anything injected into them) never
// read it; SameSite=Strict so no other site can ride on it. No `Secure` flag because
// onion sites are served over plain http (tor already encrypts end to end).
import type { Response } from 'express';

export const SESSION_COOKIE = 'oc_session';

export function setSessionCookie(res: Response, token: string, maxAgeMs: number): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', maxAge: maxAgeMs });
}

export function clearSessionCookie(res: Response): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/' });
}

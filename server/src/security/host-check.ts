// DNS-rebinding and misrouting defence: answer only requests addressed to a name this
// service expects (the onion address, loopback for local use and the gateway, and any
// names the operator adds). Anything else gets 421 without touching the app.
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../common/api-error.js';

export const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHostnames(publicOrigin: string | undefined, extra: string[]): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, ...extra.map((h) => h.toLowerCase())]);
  if (publicOrigin) names.add(new URL(publicOrigin).hostname.toLowerCase());
  return names;
}

/** The name part of a Host header: strips the port, keeps IPv6 brackets. */
export function hostnameOf(host: string): string {
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim().toLowerCase());
  return match?.[1] ?? '';
}

export function hostCheck(allowed: Set<string>) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = req.headers.host;
    if (host && allowed.has(hostnameOf(host))) return next();
    next(new ApiError(421, 'unknown_host', 'This server does not answer for that host name.'));
  };
}

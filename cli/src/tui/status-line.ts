// The top bar (who is signed in, the connection, unread and queued counts) and the
// notices shown above the input line.

import type { ChatSnapshot } from '@onionchat/client';
import { seg, type Line } from './lines.js';
import type { Notice } from './ui-state.js';
import { cleanText, fit, textWidth, truncate, wrap } from './text.js';

export function connectionText(snapshot: Pick<ChatSnapshot, 'connection' | 'refusal' | 'connectedOnce'>): string {
  if (snapshot.refusal) return `Not connected: ${snapshot.refusal}`;
  switch (snapshot.connection) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return snapshot.connectedOnce ? 'Reconnecting…' : 'Connecting…';
    default:
      return snapshot.connectedOnce ? 'Offline, reconnecting…' : 'Offline';
  }
}

export function statusLine(snapshot: ChatSnapshot, username: string, width: number): Line {
  const parts = [connectionText(snapshot)];
  if (snapshot.totalUnread > 0) parts.push(`${snapshot.totalUnread} unread`);
  if (snapshot.queued > 0) parts.push(`${snapshot.queued} waiting to go out`);
  if (snapshot.trustSaveProblem) parts.push(`⚠ ${snapshot.trustSaveProblem}`);
  const right = truncate(parts.join(' · '), Math.max(0, width - 12));
  const left = fit(` OnionChat · ${cleanText(username)}`, Math.max(0, width - textWidth(right) - 1));
  return [seg(left, 'inverse'), seg(`${right} `, snapshot.connection === 'connected' ? 'inverse' : 'warn')];
}

/** The newest notices, wrapped, at most `maxLines` lines (the newest kept). */
export function noticeLines(notices: readonly Notice[], width: number, maxLines: number): Line[] {
  const lines: Line[] = [];
  for (const notice of notices.slice(-1)) {
    for (const text of wrap(notice.text, width))
      lines.push([seg(fit(text, width), notice.kind === 'error' ? 'danger' : 'accent')]);
  }
  return maxLines > 0 ? lines.slice(-maxLines) : [];
}

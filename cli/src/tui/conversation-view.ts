// One conversation as terminal lines: who it is with and how far their keys are
// trusted (with the key-change warning and why sending is paused), or a group's name,
// members and warnings (and that this account is out of it); then the history laid out
// by the core's own rules (days, runs of messages, senders' names in a group, membership
// notices centred, delivery state, flagged messages, sequence notices, file cards with
// progress, speed and time left).

import {
  deliveryLabel,
  deliveryWarning,
  fileCardView,
  formatBytes,
  formatTime,
  messageRows,
  percentDone,
  progressDetail,
  shortTtl,
  shownTime,
  type ChatItem,
  type DownloadView,
  type FileMeta,
  type GroupView,
  type PeerTrust,
  type RemoteStatus,
  type RoomState,
  type UploadView,
} from '@onionchat/client';
import { isOutOfGroup, OUT_OF_GROUP } from '../conversation-names.js';
import { line, seg, type Line, type Style } from './lines.js';
import { cleanText, fit, textWidth, wrap } from './text.js';

/** What the file cards read (ChatSession.files has it). */
export interface FileLookup {
  upload(clientId: string): UploadView | null;
  download(key: string): DownloadView | null;
  remoteStatus(fileId: string): RemoteStatus;
}

export const NO_FILES: FileLookup = {
  upload: () => null,
  download: () => null,
  remoteStatus: () => 'unknown',
};

export interface ConversationContext {
  peerName: string;
  /** Not connected: pending messages wait for the connection. */
  offline: boolean;
  files: FileLookup;
  now?: number;
  /** In a group: the name of a message's sender (left out: everyone else is `peerName`). */
  senderName?: (senderId: string) => string;
}

/** The file messages one can save, numbered from 1 in the order shown (`/save N`). */
export function fileItems(state: RoomState | undefined): ChatItem[] {
  return (state?.items ?? []).filter((item) => item.state !== 'unverified' && item.file !== null);
}

/** The safety-number state in a few words, for the header and the list. */
export function trustLabel(trust: PeerTrust | null): { text: string; style: Style } {
  switch (trust?.state) {
    case 'verified':
      return { text: '✓ Verified', style: 'ok' };
    case 'unverified':
      return { text: 'Not verified', style: 'dim' };
    case 'changed':
    case 'changed-verified':
      return { text: '⚠ Safety number changed', style: 'danger' };
    case 'invalid':
      return { text: '⚠ Keys do not check out', style: 'danger' };
    default:
      return { text: 'Checking keys…', style: 'dim' };
  }
}

/** The same words as the web app's key-change banner, and what to type here. */
export function keyChangeWarning(trust: PeerTrust | null): string | null {
  if (!trust) return null;
  if (trust.state === 'invalid') {
    return `⚠ ${trust.username}’s keys do not check out. The server sent keys that are not validly signed. Nothing can be sent to this conversation.`;
  }
  if (trust.state !== 'changed' && trust.state !== 'changed-verified') return null;
  return (
    `⚠ ${trust.username}’s safety number has changed. They may have set up a new account, or the server may be trying to listen in. ` +
    'Sending is paused until you compare the new safety number with them in person or over another channel: ' +
    '/safety shows it, then /verify (compared and matching) or /trust (accept it without comparing).'
  );
}

/** A group's header label: how many members, and whether this account is an admin. */
export function groupLabel(view: GroupView): { text: string; style: Style } {
  if (isOutOfGroup(view)) return { text: 'Group · you are no longer in it', style: 'danger' };
  if (!view.verified) return { text: 'Group · checking members…', style: 'dim' };
  const count = `${view.members.length} ${view.members.length === 1 ? 'member' : 'members'}`;
  return { text: `Group · ${count}${view.myRole === 'admin' ? ' · you are an admin' : ''}`, style: 'dim' };
}

/** Every warning a group raises, the gravest first. */
export function groupWarnings(state: RoomState, view: GroupView): { text: string; style: Style }[] {
  const warnings: { text: string; style: Style }[] = [];
  const out = isOutOfGroup(view);
  if (out) warnings.push({ text: `⚠ ${OUT_OF_GROUP}`, style: 'danger' });
  if (view.warning) warnings.push({ text: `⚠ ${view.warning}`, style: 'danger' });
  for (const member of view.members) {
    if (member.check === 'mismatch' || member.check === 'changed') {
      warnings.push({ text: `⚠ ${member.name}: ${member.label}. /members shows every member.`, style: 'danger' });
    }
  }
  if (view.nameWarning) warnings.push({ text: `⚠ ${view.nameWarning}`, style: 'warn' });
  if (state.sendBlocked && !out && state.sendBlocked !== view.warning) {
    warnings.push({ text: `⚠ ${state.sendBlocked}`, style: 'warn' });
  }
  return warnings;
}

/** The header: the name and trust state, then every warning the core raises for this conversation. */
export function conversationHeader(state: RoomState | undefined, peerName: string, width: number): Line[] {
  const group = state?.group ?? null;
  if (state && group) {
    const label = withTimer(groupLabel(group), state);
    return headerLines(peerName, label, [...groupWarnings(state, group), ...errorOf(state)], width);
  }
  const trust = state?.trust ?? null;
  const label = withTimer(trustLabel(trust), state);
  const warnings: { text: string; style: Style }[] = [];
  const keyWarning = keyChangeWarning(trust);
  if (keyWarning) warnings.push({ text: keyWarning, style: trust?.state === 'changed' ? 'warn' : 'danger' });
  if (state?.membersChanged) warnings.push({ text: `⚠ ${state.membersChanged}`, style: 'danger' });
  if (state?.sendBlocked && !keyWarning) warnings.push({ text: `⚠ ${state.sendBlocked}`, style: 'warn' });
  warnings.push(...errorOf(state));
  return headerLines(peerName, label, warnings, width);
}

/** The disappearing timer, while it is on, before the header's label ("disappearing 1d · verified"). */
function withTimer(
  label: { text: string; style: Style },
  state: RoomState | undefined,
): { text: string; style: Style } {
  const timer = state?.timer ?? 0;
  return timer > 0 ? { ...label, text: `disappearing ${shortTtl(timer)} · ${label.text}` } : label;
}

function errorOf(state: RoomState | undefined): { text: string; style: Style }[] {
  return state?.error ? [{ text: `⚠ ${state.error}`, style: 'danger' }] : [];
}

function headerLines(
  title: string,
  label: { text: string; style: Style },
  warnings: readonly { text: string; style: Style }[],
  width: number,
): Line[] {
  const name = cleanText(title);
  const labelWidth = Math.min(textWidth(label.text), Math.max(0, width - 4));
  const lines: Line[] = [
    [
      seg(fit(name, Math.max(1, width - labelWidth - 2)), 'bold'),
      seg('  '),
      seg(fit(label.text, labelWidth), label.style),
    ],
  ];
  for (const warning of warnings) {
    for (const text of wrap(cleanText(warning.text), width)) lines.push(line(text, warning.style));
  }
  return lines;
}

/** A group's membership notice: centred, dim, with its time. */
export function noticeLines(text: string, time: number, width: number): Line[] {
  return wrap(`${cleanText(text)} · ${formatTime(time)}`, Math.max(1, width - 4)).map((part) => {
    const left = Math.max(0, Math.floor((width - textWidth(part)) / 2));
    return line(' '.repeat(left) + part, 'dim');
  });
}

/** The history, oldest first: every line it takes at this width. */
export function historyLines(state: RoomState | undefined, width: number, context: ConversationContext): Line[] {
  const out: Line[] = [];
  const push = (text: string, style: Style, indent = 0) => {
    const pad = ' '.repeat(indent);
    for (const part of wrap(text, Math.max(1, width - indent))) out.push(line(pad + part, style));
  };
  const peerName = cleanText(context.peerName);
  if (!state || !state.loaded || state.partial) {
    if (state?.error) return out;
    push('Loading messages…', 'dim');
    return out;
  }
  if (state.loadingOlder) push('Loading older messages…', 'dim');
  else if (state.hasOlder) push('↑ Older messages: PgUp or /older', 'dim');
  if (state.items.length === 0) {
    push(state.group ? 'No messages yet.' : `No messages yet. Say hello to ${peerName}.`, 'dim');
    return out;
  }
  const numbers = new Map(fileItems(state).map((item, index) => [item.key, index + 1]));
  for (const row of messageRows(state.items)) {
    if (row.kind === 'day') {
      const label = ` ${row.label} `;
      const side = Math.max(0, Math.floor((width - textWidth(label)) / 2));
      out.push(line(fit('─'.repeat(side) + label + '─'.repeat(side), width), 'dim'));
      continue;
    }
    if (row.kind === 'notice') {
      out.push(...noticeLines(row.text, row.time, width));
      continue;
    }
    const { item, first, last } = row;
    const notice = state.notices.get(item.key);
    if (notice) push(`⚠ ${notice}`, 'warn');
    const sender = item.mine ? 'You' : cleanText(context.senderName?.(item.senderId) ?? peerName);
    const warning = deliveryWarning(item, sender, context.now);
    if (first || warning) {
      out.push([seg(sender, item.mine ? 'accent' : 'bold'), seg(`  ${formatTime(shownTime(item))}`, 'dim')]);
    }
    if (item.state === 'unverified') {
      push(
        `⚠ This message could not be verified and is hidden.${item.note ? ` Reason: ${item.note}.` : ''}`,
        'danger',
        2,
      );
    } else if (item.deleted) {
      push(item.mine ? 'You deleted this message.' : 'This message was deleted.', 'dim', 2);
    } else if (item.file) {
      out.push(...fileCardLines(item, item.file, numbers.get(item.key) ?? 0, width, context.files));
    } else if (item.text !== null) {
      if (item.reply) push(`↩ ${replyLine(item.reply, (id) => context.senderName?.(id) ?? peerName)}`, 'dim', 2);
      out.push(...textLines(item, width));
      if (item.editedAt != null) push('(edited)', 'dim', 2);
    } else {
      const kind = item.unsupportedType ? ` (“${cleanText(item.unsupportedType).slice(0, 40)}”)` : '';
      push(`This message is of a kind this version of OnionChat can’t show${kind}.`, 'dim', 2);
    }
    if (item.reactions?.length) {
      push(item.reactions.map((reaction) => `${reaction.emoji} ${reaction.userIds.length}`).join('  '), 'dim', 2);
    }
    if (warning) push(`⚠ ${warning}`, 'warn', 2);
    // A file card shows its own progress and problems.
    if (item.mine && (!item.file || item.state === 'sent')) {
      const delivery = deliveryText(item, context.offline, last);
      if (delivery) push(delivery.text, delivery.style, 2);
    }
  }
  return out;
}

/** What a reply answers, as this terminal holds it (never the reply's own words about it). */
function replyLine(reply: NonNullable<ChatItem['reply']>, nameOf: (userId: string) => string): string {
  if (reply.state === 'deleted') return 'reply to a message that was deleted';
  if (reply.state === 'missing') return 'reply to an earlier message not loaded here';
  const words = cleanText(reply.text ?? (reply.fileName ? `file ${reply.fileName}` : '')).replace(/\s+/g, ' ');
  const who = reply.senderId ? cleanText(nameOf(reply.senderId)) : 'someone';
  return `${who}: ${words.length > 60 ? `${words.slice(0, 60)}…` : words}`;
}

/** Wrapped text, kept per message and width: the history is laid out again on every key. */
const wrapped = new WeakMap<ChatItem, { width: number; lines: Line[] }>();

function textLines(item: ChatItem, width: number): Line[] {
  const cached = wrapped.get(item);
  if (cached && cached.width === width) return cached.lines;
  const lines = wrap(item.text ?? '', Math.max(1, width - 2)).map((part) => line(`  ${part}`));
  wrapped.set(item, { width, lines });
  return lines;
}

/** How far one of my messages got (the web app's Delivery): "Sent" under the last of a group only. */
export function deliveryText(item: ChatItem, offline: boolean, last = true): { text: string; style: Style } | null {
  switch (item.state) {
    case 'sent':
      return last ? { text: `✓ ${deliveryLabel(item) ?? 'Sent'}`, style: 'dim' } : null;
    case 'pending':
      return {
        text: offline
          ? '… Waiting for the connection…'
          : item.note
            ? `… Sending again (${item.note.replace(/\.$/, '')})…`
            : '… Sending…',
        style: 'dim',
      };
    case 'failed':
      return {
        text: `⚠ Not sent${item.note ? `: ${item.note.replace(/\.$/, '')}.` : '.'} Type /retry to send it again.`,
        style: 'danger',
      };
    default:
      return null;
  }
}

/** A file card: what it is, its state, its progress (with speed and time left), and what to type. */
export function fileCardLines(
  item: ChatItem,
  file: FileMeta,
  number: number,
  width: number,
  files: FileLookup,
): Line[] {
  const upload = item.mine && item.messageId ? files.upload(item.messageId) : null;
  const download = files.download(item.key);
  const remote = file.fileId ? files.remoteStatus(file.fileId) : 'unknown';
  const view = fileCardView(item, file, upload, download, remote);
  const out: Line[] = [];
  const push = (text: string, style: Style) => {
    for (const part of wrap(text, Math.max(1, width - 4))) out.push(line(`  │ ${part}`, style));
  };
  push(`[file ${number}] ${view.kindLabel}: ${cleanText(file.name)}, ${formatBytes(file.size)}`, 'bold');
  const statusStyle: Style =
    view.state === 'tampered' || view.state === 'failed' ? 'danger' : view.state === 'downloaded' ? 'ok' : 'dim';
  push(view.status, statusStyle);
  const progress =
    view.showUploadProgress && upload ? upload.progress : view.saving && download ? download.progress : null;
  if (progress) {
    const bar = progressBar(
      progress.total > 0 ? progress.done / progress.total : 0,
      Math.min(20, Math.max(5, width - 40)),
    );
    push(`${bar} ${percentDone(progress)} · ${progressDetail(progress)}`, 'accent');
  }
  if (view.uploadFailed) push('Type /retry to try again.', 'dim');
  else if (view.uploading || view.saving) push(`Type /stop ${number} to stop.`, 'dim');
  else if (view.downloadable && !view.saving && !view.tampered) {
    push(`Type /save ${number} [FOLDER] to download it${view.state === 'downloaded' ? ' again' : ''}.`, 'dim');
  }
  return out;
}

export function progressBar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

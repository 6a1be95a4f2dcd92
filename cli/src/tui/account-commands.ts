// The account in the chat: its sessions (/sessions, /end) and its contact link (/me).
// The sentences are made here from what the actions hand back, so the actions only
// talk to the server and these can be tested with a fake.

import { formatDateTime, formatRelative, sessionsInOrder, type Session } from '@onionchat/client';

/** What the account commands ask of the chat (part of TuiActions); failures reject with a sentence. */
export interface AccountActions {
  /** The account's sessions as the server lists them (`current`: this chat's own). */
  listSessions(): Promise<Session[]>;
  endSession(id: string): Promise<void>;
  /** Re-seals the keys under `next`; `progress` hears each slow step (key derivation takes seconds). */
  changePassphrase(current: string, next: string, progress: (step: string) => void): Promise<void>;
  /** What others paste to add you, verified. */
  contactLink(): string;
}

/** A shorter start of an ID would match sessions by accident. */
export const MIN_ID_START = 4;

/** The /sessions panel, in the account page's order: this chat's first, then the most recently seen. */
export function sessionsPanel(sessions: readonly Session[], now = Date.now()): string[] {
  return [
    `Your sessions (${sessions.length}), this chat’s first:`,
    '',
    ...sessionsInOrder(sessions).flatMap((session) => [...sessionLines(session, now), '']),
    `/end ID ends one (its first ${MIN_ID_START} or more characters are enough); /end others ends all but this chat’s. Esc closes this list.`,
  ];
}

function sessionLines(session: Session, now: number): string[] {
  const seen = formatRelative(session.lastSeenAt, now);
  const expires = formatRelative(session.expiresAt, now);
  return [
    session.current ? `${session.id}  ← this chat` : session.id,
    `started ${formatDateTime(session.createdAt)} · last seen ${seen} · expires ${expires}`,
  ];
}

/** Ends the session `id` (or the one whose ID starts with it); resolves to what happened. */
export async function endOne(actions: AccountActions, id: string): Promise<string> {
  const session = pickSession(await actions.listSessions(), id);
  await actions.endSession(session.id);
  return `Ended session ${session.id}.`;
}

/** Ends every session but this chat's own. */
export async function endOthers(actions: AccountActions): Promise<string> {
  const others = (await actions.listSessions()).filter((session) => !session.current);
  if (others.length === 0) return 'There is no other session to end.';
  for (const session of others) await actions.endSession(session.id);
  return others.length === 1 ? 'Ended 1 other session.' : `Ended ${others.length} other sessions.`;
}

function pickSession(sessions: readonly Session[], id: string): Session {
  const wanted = id.toLowerCase();
  const exact = sessions.filter((session) => session.id.toLowerCase() === wanted);
  const starting =
    wanted.length >= MIN_ID_START ? sessions.filter((session) => session.id.toLowerCase().startsWith(wanted)) : [];
  const found = exact.length > 0 ? exact : starting;
  if (found.length === 0) throw new Error(`There is no session “${id}”. Type /sessions to see them.`);
  if (found.length > 1) throw new Error(`More than one session starts with “${id}”: type more of its ID.`);
  // Ending it would end this chat too, without saving what waits to be saved.
  if (found[0]!.current) throw new Error('That is this chat’s own session: /quit ends it.');
  return found[0]!;
}

/** The /me panel. */
export function linkPanel(link: string): string[] {
  return [
    'Your contact link:',
    '',
    link,
    '',
    'Others add you, verified, by pasting it: /add LINK here, onionchat add LINK, or “Add a friend” in the web app.',
    'To copy it in one piece (no line breaks): onionchat login prints it on one line.',
    'Esc closes this.',
  ];
}

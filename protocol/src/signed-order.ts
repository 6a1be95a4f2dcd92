/**
 * The one order readers give signed messages when the latest wins (a timer, an edit, a
 * member's reaction): by signed send time, a tie going to the greater message id,
 * compared as text (ids are canonical, lower case).
 */
export interface SignedPosition {
  sentAt: number;
  id: string;
}

/** Whether `a` comes after `b`. */
export function signedLater(a: SignedPosition, b: SignedPosition): boolean {
  if (a.sentAt !== b.sentAt) return a.sentAt > b.sentAt;
  return a.id > b.id;
}

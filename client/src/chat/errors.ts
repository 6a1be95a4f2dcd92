// Failures from chat actions, in words for the page.

import { ProtocolError } from '@onionchat/protocol';
import { errorMessage } from '../account';
import { ApiError } from '../api';

/** Any failure from a chat action, as a sentence for the page. */
export function chatErrorMessage(error: unknown): string {
  if (error instanceof ApiError || error instanceof ProtocolError) return errorMessage(error);
  if (error instanceof Error && error.message) return error.message;
  return errorMessage(error);
}

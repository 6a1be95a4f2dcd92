// What the terminal UI itself remembers (the chat's state is the core's snapshot):
// which pane has the arrows, which conversation is open, how far the history is
// scrolled back, what is typed, the latest notices, and what is asked on the input line
// (a passphrase, typed hidden, or a yes-or-no question such as /leave's).

export type Pane = 'list' | 'conversation';

export interface Notice {
  text: string;
  kind: 'info' | 'error';
}

export interface UiState {
  focus: Pane;
  /** The open conversation's room id (null: none yet). */
  selectedRoomId: string | null;
  /** Lines scrolled back from the newest (0: at the bottom, following new messages). */
  scroll: number;
  input: string;
  /** Cursor position in `input`, in code points. */
  cursor: number;
  /** Newest last; the status area shows the last few. */
  notices: readonly Notice[];
  /** Text shown over the conversation until Esc (help, the sessions, the contact link); first line a title. */
  panel: readonly string[] | null;
  /**
   * The input line asks this (a passphrase): what is typed is drawn as dots, and Enter
   * hands it to whoever asked instead of sending it. Null: the line is for messages.
   */
  prompt: string | null;
  /** The prompt's answer is drawn as typed (a yes-or-no question), not as dots; Enter on nothing answers no. */
  promptShown: boolean;
}

export const MAX_NOTICES = 20;

export function initialUiState(): UiState {
  return {
    focus: 'list',
    selectedRoomId: null,
    scroll: 0,
    input: '',
    cursor: 0,
    notices: [],
    panel: null,
    prompt: null,
    promptShown: false,
  };
}

export function withNotice(state: UiState, notice: Notice): UiState {
  return { ...state, notices: [...state.notices, notice].slice(-MAX_NOTICES) };
}

// The terminal client's full-screen chat (issue #16).

export { runTui, type RunTuiOptions } from './run-tui.js';
export { sessionActions, type AccountAccess, type SessionActionsOptions } from './session-actions.js';
export { parseInput, runCommand, HELP_LINES, type Command, type TuiActions } from './commands.js';
export { TuiController, type ChatLike, type ScreenLike } from './controller.js';
export { layout, type Layout, type LayoutInput } from './layout.js';
export { reduceKey, keyFromTerminal, type Key, type KeyEffect } from './keys.js';

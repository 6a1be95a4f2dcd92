import type { GroupView } from '@onionchat/client';

/**
 * What the group's chain says is wrong: the server handed out a change that does not
 * check out (nothing is sent there meanwhile), the name cannot be opened, or this
 * account is no longer a member.
 */
export function GroupBanners({ group, onDrop }: { group: GroupView; onDrop: () => void }) {
  return (
    <>
      {group.warning ? (
        <div className="key-warning key-warning-loud" role="alert" data-testid="group-warning">
          <p>
            <strong>This group’s member list does not check out.</strong> {group.warning} The server may be trying to
            add a listener or undo a change. The members shown are the last ones this page verified.
          </p>
        </div>
      ) : null}
      {group.nameWarning ? (
        <div className="key-warning" role="status" data-testid="group-name-warning">
          <p>{group.nameWarning}</p>
        </div>
      ) : null}
      {group.gone ? (
        <div className="key-warning group-gone" role="status" data-testid="group-gone">
          <p>
            <strong>You are no longer in this group.</strong> You were removed or left it, so you get no new messages or
            keys. What you received before stays here until you remove the conversation or close this tab.
          </p>
          <button type="button" className="button small" onClick={onDrop}>
            Remove this conversation
          </button>
        </div>
      ) : null}
    </>
  );
}

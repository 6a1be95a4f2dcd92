import type { GroupView } from '@onionchat/client';
import { useTranslation } from 'react-i18next';

/**
 * What the group's chain says is wrong: the server handed out a change that does not
 * check out (nothing is sent there meanwhile), the name cannot be opened, or this
 * account is no longer a member.
 */
export function GroupBanners({ group, onDrop }: { group: GroupView; onDrop: () => void }) {
  const { t } = useTranslation();
  return (
    <>
      {group.warning ? (
        <div className="key-warning key-warning-loud" role="alert" data-testid="group-warning">
          <p>
            <strong>{t('group.banner.warningTitle')}</strong> {group.warning} {t('group.banner.warningText')}
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
            <strong>{t('group.banner.goneTitle')}</strong> {t('group.banner.goneText')}
          </p>
          <button type="button" className="button small" onClick={onDrop}>
            {t('group.banner.remove')}
          </button>
        </div>
      ) : null}
    </>
  );
}

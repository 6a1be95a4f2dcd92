import { useTranslation } from 'react-i18next';

/** A group form dialog's Cancel and submit buttons (the submit one names what it is doing while busy). */
export function FormActions(props: {
  formId: string;
  busy: boolean;
  label: string;
  busyLabel: string;
  onCancel: () => void;
}) {
  const { formId, busy, label, busyLabel, onCancel } = props;
  const { t } = useTranslation();
  return (
    <>
      <button type="button" className="button" onClick={onCancel} disabled={busy}>
        {t('group.cancel')}
      </button>
      <button type="submit" form={formId} className="button primary" disabled={busy} aria-busy={busy}>
        {busy ? busyLabel : label}
      </button>
    </>
  );
}

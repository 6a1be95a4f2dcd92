/** A group form dialog's Cancel and submit buttons (the submit one names what it is doing while busy). */
export function FormActions(props: {
  formId: string;
  busy: boolean;
  label: string;
  busyLabel: string;
  onCancel: () => void;
}) {
  const { formId, busy, label, busyLabel, onCancel } = props;
  return (
    <>
      <button type="button" className="button" onClick={onCancel} disabled={busy}>
        Cancel
      </button>
      <button type="submit" form={formId} className="button primary" disabled={busy} aria-busy={busy}>
        {busy ? busyLabel : label}
      </button>
    </>
  );
}

/** Loading the messages failed: why, and a way to try again. */
export function LoadError({ error, onRetry }: { error: string | null | undefined; onRetry: () => void }) {
  if (!error) return null;
  return (
    <div className="list-error" role="alert">
      <span>Couldn’t load messages: {error}</span>
      <button type="button" className="button small" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

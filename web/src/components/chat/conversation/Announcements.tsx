/** What screen readers read out (politely) as messages arrive; not shown on screen. */
export function Announcements({ items }: { items: { id: number; text: string }[] }) {
  return (
    <div
      className="visually-hidden"
      role="log"
      aria-live="polite"
      aria-relevant="additions"
      data-testid="live-announcer"
    >
      {items.map((a) => (
        <p key={a.id}>{a.text}</p>
      ))}
    </div>
  );
}

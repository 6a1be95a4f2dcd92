// The `code` of the error a protocol function throws (undefined if it does not throw):
// specs assert the exact rejection, not just that something failed.
export function code(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

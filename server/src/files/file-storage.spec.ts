// Deleting a deleted file's bytes: a store that cannot be reached is left to the sweeper
// (the records are gone, so it removes the objects later); any other failure is raised.
import { describe, expect, it } from 'vitest';
import { deleteBytesOf, StorageUnavailableError, type FileStorage } from './file-storage.js';

function storage(fail: (id: string) => Error | null) {
  const deleted: string[] = [];
  const store = {
    delete: async (id: string) => {
      const error = fail(id);
      if (error) throw error;
      deleted.push(id);
    },
  } as unknown as FileStorage;
  return { store, deleted };
}

describe('deleteBytesOf', () => {
  it('deletes every file’s bytes, going on past a store that cannot be reached', async () => {
    const { store, deleted } = storage((id) => (id === 'b' ? new StorageUnavailableError() : null));
    await deleteBytesOf(store, ['a', 'b', 'c']);
    expect(deleted).toEqual(['a', 'c']);
  });

  it('raises any other failure', async () => {
    const { store } = storage(() => new Error('disk on fire'));
    await expect(deleteBytesOf(store, ['a'])).rejects.toThrow('disk on fire');
  });
});

// File messages through a real ChatSession and real FileTransfers: uploads land on the
// chat world's fake server, file messages are sealed with the protocol's own crypto and
// opened with it again here, and downloads are checked before the sink sees anything.

import {
  FILE_MAX_BYTES,
  decryptFile,
  encryptFile,
  fileDigestOf,
  fromBase64,
  newFileKey,
  newUuid,
  openMessage,
  readFileMessageBody,
  type FileMessage,
} from '@onionchat/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FileSource } from '../files/index.js';
import { ChatWorld, person, type StoredFile } from '../test-support/chat-world.js';
import { MAX_FILES_AT_ONCE } from './file-messages.js';
import type { ChatItem } from './items.js';

/** Small: tweetnacl is slow. */
const SIZE = 1_000;

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

function fileOf(name: string, size = SIZE, type = 'application/octet-stream'): File {
  return new File([randomBytes(size)], name, { type });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('file messages through the session', () => {
  let world: ChatWorld;
  afterEach(() => world?.session?.stop());

  async function open(): Promise<void> {
    world.live.connect();
    world.start({ realFiles: true });
    world.session.setActiveRoom(world.roomId);
    await vi.waitFor(() => expect(world.view()?.loaded).toBe(true));
    await vi.waitFor(() => expect(world.view()?.items.length).toBe(world.messages.length));
  }

  const mine = (): ChatItem[] => world.view()?.items.filter((item) => item.mine) ?? [];
  const storedFiles = (): StoredFile[] => [...world.files.values()];
  const fileCreates = () => world.http.callsTo('POST', `/api/rooms/${world.roomId}/files`);

  /** Opens a sent envelope as bob would, and reads the file message in it. */
  function openSent(envelope: string): { messageId: string; file: FileMessage } {
    const { header, body } = openMessage(
      fromBase64(envelope),
      { roomId: world.roomId, epoch: 1, senderId: world.alice.user.id },
      world.roomKey,
      world.alice.identity,
    );
    return { messageId: header.messageId, file: readFileMessageBody(body) };
  }

  describe('sending', () => {
    it('shows a pending card per file at once, uploads, then sends each file message sealed under the room key', async () => {
      world = new ChatWorld();
      await open();
      const first = randomBytes(SIZE);
      const second = randomBytes(SIZE + 1);
      world.http.holdUploads();
      world.session.sendFiles(world.roomId, [
        // A bidirectional override and a path separator; a type with parameters and capitals.
        new File([first], 'notes/\u202Etxt.exe', { type: 'Text/Plain; charset=utf-8' }),
        new File([second], 'photo.png', { type: 'image/png' }),
      ]);

      // While the first upload is held on its way to the server, both cards are there.
      await vi.waitFor(() => expect(world.http.putsHeld).toBe(1));
      expect(mine()).toMatchObject([
        {
          state: 'pending',
          seq: null,
          text: null,
          file: { name: 'notes__txt.exe', mime: 'text/plain', size: SIZE, fileId: null, key: null, digest: null },
        },
        {
          state: 'pending',
          seq: null,
          file: { name: 'photo.png', mime: 'image/png', size: SIZE + 1, fileId: null, key: null, digest: null },
        },
      ]);
      const clientIds = mine().map((item) => item.messageId!);
      expect(world.session.files.upload(clientIds[0]!)?.phase).toBe('uploading');
      expect(world.session.files.upload(clientIds[1]!)?.phase).toBe('queued');
      expect(world.live.sent).toEqual([]);

      world.http.releaseUploads();
      await vi.waitFor(() =>
        expect(mine().map((item) => [item.state, item.seq])).toEqual([
          ['sent', 1],
          ['sent', 2],
        ]),
      );

      // One upload each, all of it on the server; one message each, in the order picked.
      expect(fileCreates()).toHaveLength(2);
      const stored = storedFiles();
      expect(stored.map((file) => file.info.status)).toEqual(['ready', 'ready']);
      expect(world.live.sent.map((payload) => [payload.roomId, payload.clientId])).toEqual(
        clientIds.map((id) => [world.roomId, id]),
      );

      const expected = [
        { plain: first, name: 'notes__txt.exe', mime: 'text/plain' },
        { plain: second, name: 'photo.png', mime: 'image/png' },
      ];
      for (const [i, payload] of world.live.sent.entries()) {
        const { messageId, file } = openSent(payload.envelope);
        const server = stored[i]!;
        const { plain, name, mime } = expected[i]!;
        expect(messageId).toBe(clientIds[i]);
        expect(file).toMatchObject({ fileId: server.info.id, name, mime, size: plain.length });
        // The key opens what the server holds to the very bytes picked, and the digest is of that ciphertext.
        expect(await decryptFile(file.key, server.data)).toEqual(plain);
        expect(file.digest).toEqual(await fileDigestOf(server.data));
        // The card now carries what went out.
        expect(mine()[i]!.file).toEqual({
          name,
          mime,
          size: plain.length,
          fileId: file.fileId,
          key: file.key,
          digest: file.digest,
        });
      }
      expect(world.session.getSnapshot().queued).toBe(0);
    });

    it('a cancelled upload takes its card away, deletes the server’s copy and sends nothing', async () => {
      world = new ChatWorld();
      await open();
      world.http.holdUploads();
      world.session.sendFiles(world.roomId, [fileOf('draft.txt')]);
      await vi.waitFor(() => expect(world.http.putsHeld).toBe(1));
      const clientId = mine()[0]!.messageId!;
      const fileId = storedFiles()[0]!.info.id;

      world.session.files.cancelUpload(clientId);
      await vi.waitFor(() => expect(mine()).toEqual([]));
      expect(world.session.files.upload(clientId)).toBeNull();
      world.http.releaseUploads();
      await vi.waitFor(() => expect(world.http.callsTo('DELETE', `/api/files/${fileId}`)).toHaveLength(1));
      await pause(100);

      expect(world.files.size).toBe(0);
      expect(world.live.sent).toEqual([]);
      expect(world.session.getSnapshot().queued).toBe(0);
      expect(world.view()?.items).toEqual([]);
    });
  });

  describe('refusals', () => {
    it('refuses too many files, a file over FILE_MAX_BYTES and an unknown room, before showing or uploading anything', async () => {
      world = new ChatWorld();
      await open();
      const many = Array.from({ length: MAX_FILES_AT_ONCE + 1 }, (_, i) => fileOf(`f${i}.txt`, 1));
      expect(() => world.session.sendFiles(world.roomId, many)).toThrow(
        `You can send at most ${MAX_FILES_AT_ONCE} files at once.`,
      );

      // Only its size is looked at: no terabyte is made.
      const huge = { name: 'huge\u202E.bin', type: '', size: FILE_MAX_BYTES + 1 } as unknown as File;
      // One too large among small ones: none of them goes.
      expect(() => world.session.sendFiles(world.roomId, [fileOf('small.txt'), huge])).toThrow(
        '“huge_.bin” is too large to send.',
      );

      expect(() => world.session.sendFiles(newUuid(), [fileOf('lost.txt')])).toThrow(
        'This conversation does not exist any more.',
      );

      await pause(50);
      expect(world.view()?.items).toEqual([]);
      expect(fileCreates()).toEqual([]);
      expect(world.http.calls.filter((call) => call.path.startsWith('/api/files'))).toEqual([]);
      expect(world.live.sent).toEqual([]);
    });

    it('refuses files for a conversation whose contact’s key changed', async () => {
      world = new ChatWorld();
      await open();
      const newBob = person('bob', world.bob.user.id);
      world.members = [world.alice.user, newBob.user];
      world.session.requestSync();
      await vi.waitFor(() => expect(world.view()?.trust?.state).toBe('changed'));

      expect(() => world.session.sendFiles(world.roomId, [fileOf('secret.pdf')])).toThrow(/safety number changed/);
      await pause(50);
      expect(world.view()?.items).toEqual([]);
      expect(fileCreates()).toEqual([]);
      expect(world.live.sent).toEqual([]);
    });

    // Its card was pending before the key changed; sealing happened before the check
    // used to run (the room key was at hand), so it went out anyway.
    it('does not send the message of an upload that finished after the contact’s key changed', async () => {
      world = new ChatWorld();
      // A conversation with a message in it: its key was opened, and is at hand.
      world.bobSays('here is the room key in use');
      await open();
      world.http.holdUploads();
      world.session.sendFiles(world.roomId, [fileOf('plans.pdf')]);
      await vi.waitFor(() => expect(world.http.putsHeld).toBe(1));
      const clientId = mine()[0]!.messageId!;

      const newBob = person('bob', world.bob.user.id);
      world.members = [world.alice.user, newBob.user];
      world.session.requestSync();
      await vi.waitFor(() => expect(world.view()?.sendBlocked).toMatch(/safety number changed/));

      world.http.releaseUploads();
      await vi.waitFor(() => expect(world.session.files.upload(clientId)?.phase).toBe('done'));
      await pause(100);
      expect(world.live.sent).toEqual([]);
      expect(mine()[0]?.state).toBe('failed');
      expect(mine()[0]?.note).toMatch(/^Not sent: .*safety number changed/);
    });
  });

  describe('receiving', () => {
    /** Bob's file: encrypted with a fresh key, its message stored, the ciphertext not served yet. */
    async function bobSendsFile(name: string, plain = randomBytes(SIZE)) {
      const key = newFileKey();
      const encrypted = await encryptFile(key, plain);
      const source: FileSource = {
        fileId: newUuid(),
        key,
        digest: await fileDigestOf(encrypted),
        name,
        mime: 'application/pdf',
        size: plain.length,
      };
      world.store(world.bob.user.id, world.bobFile(source));
      return { plain, key, encrypted, source };
    }

    const item = (seq: number) => world.view()!.items.find((i) => i.seq === seq)!;
    const phase = (entry: ChatItem) => world.session.files.download(entry.key)?.phase;

    it('shows a verified file item, and saveFile hands the decrypted file to the sink once it checks out', async () => {
      world = new ChatWorld();
      // A name with a bidirectional override, as a hostile sender could write it.
      const bob = await bobSendsFile('invoice\u202Efdp.exe');
      world.serveFile(bob.source.fileId, bob.encrypted);
      await open();

      const received = item(1);
      expect(received).toMatchObject({
        state: 'sent',
        mine: false,
        senderId: world.bob.user.id,
        text: null,
        unsupportedType: null,
        note: null,
        file: { name: 'invoice_fdp.exe', mime: 'application/pdf', size: SIZE, fileId: bob.source.fileId },
      });
      expect(received.file!.key).toEqual(bob.key);
      expect(received.file!.digest).toEqual(bob.source.digest);
      // Nothing is fetched, let alone saved, before the person asks.
      expect(world.http.calls.filter((call) => call.path.startsWith('/api/files'))).toEqual([]);
      expect(world.sink.saved).toEqual([]);

      world.session.saveFile(received);
      await vi.waitFor(() => expect(phase(received)).toBe('done'));
      expect(world.session.files.download(received.key)).toMatchObject({ saved: true, note: null });
      expect(world.sink.saved).toHaveLength(1);
      expect(world.sink.saved[0]!.name).toBe('invoice_fdp.exe');
      expect(world.sink.saved[0]!.bytes).toEqual(bob.plain);
    });

    it('a tampered file, or another file under the same key, never reaches the sink', async () => {
      world = new ChatWorld();
      const flippedOne = await bobSendsFile('flipped.pdf');
      const swappedOne = await bobSendsFile('swapped.pdf');
      // One bit of the ciphertext flipped.
      const flipped = flippedOne.encrypted.slice();
      flipped[flipped.length - 20]! ^= 1;
      world.serveFile(flippedOne.source.fileId, flipped);
      // Every chunk authentic under the key, but not the file the sender signed the digest of.
      world.serveFile(swappedOne.source.fileId, await encryptFile(swappedOne.key, randomBytes(SIZE)));
      await open();

      world.session.saveFile(item(1));
      world.session.saveFile(item(2));
      await vi.waitFor(() => expect([phase(item(1)), phase(item(2))]).toEqual(['tampered', 'tampered']));
      expect(world.session.files.download(item(1).key)).toMatchObject({
        saved: false,
        note: expect.stringMatching(/altered/),
      });
      expect(world.session.files.download(item(2).key)).toMatchObject({
        saved: false,
        note: expect.stringMatching(/digest/),
      });
      await pause(50);
      expect(world.sink.saved).toEqual([]);
    });
  });
});

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskSink } from './disk-sink.js';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-sink-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A Blob whose stream fails after its first chunk (a disk or stream error mid-write). */
function failingBlob(): Blob {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([1, 2, 3]));
      controller.error(new Error('disk full'));
    },
  });
  return { stream: () => stream } as unknown as Blob;
}

describe('the disk sink', () => {
  it('saves under the name given, and never over an existing file', async () => {
    const sink = new DiskSink(dir);
    const saved: string[] = [];
    sink.onSaved((file) => saved.push(path.basename(file)));
    writeFileSync(path.join(dir, 'a.txt'), 'mine');
    await sink.save(new Blob(['first']), 'a.txt');
    await sink.save(new Blob(['second']), 'a.txt');
    expect(saved).toEqual(['a (1).txt', 'a (2).txt']);
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(dir, 'a (2).txt'), 'utf8')).toBe('second');
    expect(readdirSync(dir).sort()).toEqual(['a (1).txt', 'a (2).txt', 'a.txt']);
  });

  it('leaves nothing behind, under any name, when writing fails', async () => {
    const sink = new DiskSink(dir);
    await expect(sink.save(failingBlob(), 'b.bin')).rejects.toThrow('disk full');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('sends a routed file to its folder once, and the next one under that name to the default', async () => {
    const other = mkdtempSync(path.join(tmpdir(), 'onionchat-cli-sink-other-'));
    try {
      const sink = new DiskSink(dir);
      sink.routeNext('c.txt', other);
      await sink.save(new Blob(['elsewhere']), 'c.txt');
      await sink.save(new Blob(['here']), 'c.txt');
      expect(readFileSync(path.join(other, 'c.txt'), 'utf8')).toBe('elsewhere');
      expect(readFileSync(path.join(dir, 'c.txt'), 'utf8')).toBe('here');
      expect(readdirSync(other)).toEqual(['c.txt']);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

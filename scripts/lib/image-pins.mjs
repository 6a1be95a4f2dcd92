// The container images the Docker deployment builds from and runs, read from the files
// that name them, and whether each is pinned by digest.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Every file that names an image: compose `image:` lines and Dockerfile `FROM` lines. */
export const IMAGE_FILES = ['docker-compose.yml', 'Dockerfile', 'tor/Dockerfile', 'deploy/onionbalance/Dockerfile'];
/** Images not yet pinned, one a line, `#` comments. */
export const PENDING_FILE = 'deploy/unpinned-images.txt';

const PINNED = /@sha256:[0-9a-f]{64}$/;
const FROM_LINE = /^(\s*FROM\s+(?:--\S+\s+)*)(\S+)(.*)$/i;
const IMAGE_LINE = /^(\s*image:\s*['"]?)([^'"\s#]+)(.*)$/;

export function isPinned(ref) {
  return PINNED.test(ref);
}

/** The image named on one line of `file`, with what surrounds it, or null. */
function imageOnLine(file, line, stages) {
  const match = (path.basename(file) === 'Dockerfile' ? FROM_LINE : IMAGE_LINE).exec(line);
  if (!match) return null;
  const [, before, ref, after] = match;
  // `FROM build` names an earlier stage of the same Dockerfile, not an image.
  if (stages.has(ref)) return null;
  const stage = /^\s+AS\s+(\S+)/i.exec(after);
  if (stage) stages.add(stage[1]);
  return { before, ref, after };
}

/** Applies `change` to every image line of `text`; returns the lines and the images seen. */
function mapImages(file, text, change = (ref) => ref) {
  const stages = new Set();
  const refs = [];
  const lines = text.split('\n').map((line) => {
    const image = imageOnLine(file, line, stages);
    if (!image) return line;
    refs.push(image.ref);
    return image.before + change(image.ref) + image.after;
  });
  return { text: lines.join('\n'), refs };
}

export function imageReferences(root) {
  return IMAGE_FILES.flatMap((file) =>
    mapImages(file, readFileSync(path.join(root, file), 'utf8')).refs.map((ref) => ({ file, ref })),
  );
}

export function readPending(root) {
  return readFileSync(path.join(root, PENDING_FILE), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

/** What is wrong: images neither pinned nor listed as pending, and listed ones no file names unpinned. */
export function pinProblems(root) {
  const pending = new Set(readPending(root));
  const unpinned = imageReferences(root).filter(({ ref }) => !isPinned(ref));
  const problems = unpinned
    .filter(({ ref }) => !pending.has(ref))
    .map(({ file, ref }) => `${file}: ${ref} is neither pinned by digest nor listed in ${PENDING_FILE}`);
  const named = new Set(unpinned.map(({ ref }) => ref));
  for (const ref of pending) {
    if (!named.has(ref)) problems.push(`${PENDING_FILE}: ${ref} is listed, but no file names it unpinned`);
  }
  return { unpinned: [...named], problems };
}

/** Writes `ref@digest` for every unpinned `ref` in `digests` and drops those lines from the pending list. */
export function writePins(root, digests) {
  for (const file of IMAGE_FILES) {
    const full = path.join(root, file);
    const { text } = mapImages(file, readFileSync(full, 'utf8'), (ref) =>
      digests.has(ref) ? `${ref}@${digests.get(ref)}` : ref,
    );
    writeFileSync(full, text);
  }
  const full = path.join(root, PENDING_FILE);
  const kept = readFileSync(full, 'utf8')
    .split('\n')
    .filter((line) => !digests.has(line.trim()));
  writeFileSync(full, kept.join('\n'));
}

// `node scripts/pin-images.mjs`: pins every image the Docker deployment still names by tag
// alone (deploy/unpinned-images.txt) to the digest of its multi-platform index, as the
// registry reports it now. Needs `docker buildx` and a connection to the registry; review
// the change before committing it. `--check` changes nothing: it fails when an image is
// neither pinned nor listed as pending. `--root DIR` works on another checkout.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './lib/paths.mjs';
import { pinProblems, writePins } from './lib/image-pins.mjs';

const run = promisify(execFile);

// A digest of one of these names the same bytes on every platform; a single-platform
// manifest's digest would break the deployment on other CPUs.
const INDEX_TYPES = new Set([
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

async function indexDigest(ref) {
  const { stdout } = await run('docker', ['buildx', 'imagetools', 'inspect', ref, '--format', '{{json .Manifest}}']);
  const { mediaType, digest } = JSON.parse(stdout);
  if (!INDEX_TYPES.has(mediaType)) {
    throw new Error(`${ref} is a single-platform image (${mediaType}); pin it by hand if that is meant`);
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new Error(`${ref}: the registry answered no sha256 digest`);
  return digest;
}

function parseArgs(argv) {
  const rootAt = argv.indexOf('--root');
  return { check: argv.includes('--check'), root: rootAt >= 0 ? path.resolve(argv[rootAt + 1]) : repoRoot };
}

async function main() {
  const { check, root } = parseArgs(process.argv.slice(2));
  const { unpinned, problems } = pinProblems(root);
  if (problems.length > 0) throw new Error(`\n- ${problems.join('\n- ')}`);
  if (check) {
    console.log(unpinned.length === 0 ? 'Every image is pinned.' : `Not yet pinned: ${unpinned.join(', ')}`);
    return;
  }
  const digests = new Map();
  for (const ref of unpinned) {
    digests.set(ref, await indexDigest(ref));
    console.log(`${ref}@${digests.get(ref)}`);
  }
  writePins(root, digests);
  console.log(digests.size === 0 ? 'Every image was already pinned.' : `Pinned ${digests.size} images.`);
}

main().catch((err) => {
  console.error(`pin-images: ${err.message}`);
  process.exit(1);
});

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { sourceBuildId } from './scripts/build-id.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Static export: the OnionChat server serves web/out/ on the same origin as /api.
// Nothing here may reach the network at build or run time (the site is an onion service).
const nextConfig: NextConfig = {
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  poweredByHeader: false,
  productionBrowserSourceMaps: false,
  reactStrictMode: true,
  transpilePackages: ['@onionchat/protocol', '@onionchat/contract', '@onionchat/client'],
  // Reproducible: the same sources give the same bytes in any folder (scripts/verify-instance.mjs).
  generateBuildId: () => sourceBuildId(repoRoot),
};

export default nextConfig;

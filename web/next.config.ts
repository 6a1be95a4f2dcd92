import type { NextConfig } from 'next';

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
};

export default nextConfig;

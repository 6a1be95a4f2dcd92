// Public API of @onionchat/tor: run the production onion service, and a
// private Tor network (plus a SOCKS client) for tests.
export { findTor } from './tor-binary.js';
export { listTorModules, POW_MISSING_WARNING, type TorModules } from './tor-modules.js';
export { renderTorrc, type TorrcValues } from './torrc.js';
export { startOnionService, ONION_HOSTNAME, type OnionService, type OnionServiceOptions } from './onion-service.js';
export type { TorExit, LogFn } from './tor-process.js';
export { startTestnet, type Testnet, type TestnetOptions } from './testnet.js';
export {
  socks5Connect,
  socksHttpGet,
  socksHttpRequest,
  SocksError,
  type SocksHttpRequest,
  type SocksHttpResponse,
  type SocksOptions,
} from './socks.js';

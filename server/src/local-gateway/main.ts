// `npm run gateway`: the local gateway (see gateway.ts).
import { loadGatewayConfig } from './gateway.config.js';
import { startGateway } from './gateway.js';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const gateway = await startGateway(config);
  process.stdout.write(
    `OnionChat gateway: ${gateway.origin}/ → http://${config.GATEWAY_ONION}/ via ${config.GATEWAY_SOCKS}\n` +
      'The web client is served from this checkout; only /api travels to the onion.\n',
  );
  const stop = () => void gateway.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`The gateway could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

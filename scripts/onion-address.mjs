// `npm run onion:address`: prints the onion address of the service started by `npm start`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from './lib/paths.mjs';

const file = path.join(dataDir, 'tor', 'hidden-service', 'hostname');
try {
  console.log(`http://${readFileSync(file, 'utf8').trim()}/`);
} catch {
  console.error(
    'No onion address yet: run `npm start` with tor installed. ' +
      'For Docker: docker compose exec tor cat /var/lib/tor/hidden_service/hostname',
  );
  process.exit(1);
}

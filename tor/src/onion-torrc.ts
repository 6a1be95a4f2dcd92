// The production onion service's torrc, rendered from tor/torrc.template (kept
// as a commented file so operators can read exactly what tor is told).
import { readFile } from 'node:fs/promises';
import { renderTorrc } from './torrc.js';

// Same relative location from src/ (tests) and dist/ (built package).
const TEMPLATE_URL = new URL('../torrc.template', import.meta.url);

export type OnionTorrcValues = {
  dataDir: string;
  hiddenServiceDir: string;
  appPort: number;
  /** Local SOCKS port on 127.0.0.1; 0 disables the SOCKS proxy. */
  socksPort: number;
  /** Tor exits when this process is gone. */
  owningPid: number;
};

export async function readTorrcTemplate(): Promise<string> {
  return readFile(TEMPLATE_URL, 'utf8');
}

export async function onionServiceTorrc(values: OnionTorrcValues): Promise<string> {
  return renderTorrc(await readTorrcTemplate(), {
    dataDir: values.dataDir,
    hiddenServiceDir: values.hiddenServiceDir,
    appPort: values.appPort,
    socksPort: values.socksPort === 0 ? '0' : `127.0.0.1:${values.socksPort}`,
    owningPid: values.owningPid,
  });
}

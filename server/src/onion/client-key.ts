// Who an anonymous caller is, as far as rate limits can tell. Behind an onion service
// every connection comes from tor on loopback, so the address says nothing; tor can
// instead tell the service which circuit a connection came on (HiddenServiceExportCircuitID).
import type { Socket } from 'node:net';

const CIRCUIT = Symbol('onionchat.circuit');

type WithCircuit = Socket & { [CIRCUIT]?: string };

/**
 * Records the tor circuit a connection arrived on (set once, by the onion listener, as
 * "<listener scope>.<tor's global circuit id>").
 */
export function setCircuit(socket: Socket, circuitId: string): void {
  (socket as WithCircuit)[CIRCUIT] = circuitId;
}

/** The tor circuit a connection arrived on, or null for a direct (loopback) connection. */
export function circuitOf(socket: Socket | undefined): string | null {
  return (socket as WithCircuit | undefined)?.[CIRCUIT] ?? null;
}

/**
 * The key an anonymous caller's budgets are counted under: its circuit when it came
 * through tor, otherwise one shared key for every direct connection.
 */
export function clientKey(req: { socket?: Socket }): string {
  const circuit = circuitOf(req.socket);
  return circuit === null ? 'direct' : `circuit:${circuit}`;
}

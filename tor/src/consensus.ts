// Reads the private network's current consensus from an authority's DirPort,
// to know when relays and authorities carry the flags onion services need.
import http from 'node:http';

/** Flags per nickname in a microdescriptor consensus. */
export type ConsensusFlags = Map<string, Set<string>>;

/** The current consensus, or undefined if the authority has none yet. */
export function fetchConsensus(dirPort: number, timeoutMs = 5000): Promise<ConsensusFlags | undefined> {
  return new Promise((resolve) => {
    const request = http.get(
      { host: '127.0.0.1', port: dirPort, path: '/tor/status-vote/current/consensus-microdesc', agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve(response.statusCode === 200 ? parseFlags(Buffer.concat(chunks).toString('utf8')) : undefined),
        );
        response.on('error', () => resolve(undefined));
      },
    );
    request.setTimeout(timeoutMs, () => request.destroy());
    // Not listening yet, or reset: simply "no consensus yet".
    request.on('error', () => resolve(undefined));
  });
}

/** Parses the "r <nickname> …" / "s <flags…>" line pairs. */
export function parseFlags(consensus: string): ConsensusFlags {
  const flags: ConsensusFlags = new Map();
  let nickname: string | undefined;
  for (const line of consensus.split('\n')) {
    if (line.startsWith('r ')) nickname = line.split(' ')[1];
    else if (line.startsWith('s ') && nickname) flags.set(nickname, new Set(line.split(' ').slice(1)));
  }
  return flags;
}

/** Nicknames among `nicknames` lacking `flag` (all of them if absent from the consensus). */
export function missingFlag(flags: ConsensusFlags, nicknames: string[], flag: string): string[] {
  return nicknames.filter((nickname) => !flags.get(nickname)?.has(flag));
}

// torrc lines for each role in the private test network (the measured recipe
// summarised in tor/README.md): everything on 127.0.0.1, fast voting, and flags
// forced so that a network of 4 relays can build onion circuits at all.

export type AuthorityInfo = {
  nickname: string;
  orPort: number;
  dirPort: number;
  /** Fingerprint of the authority's v3 certificate. */
  v3ident: string;
  /** Fingerprint of its relay identity key. */
  fingerprint: string;
};

export type NodeInfo = { nickname: string; dataDir: string };

/**
 * Options every node needs to join the private network (not DataDirectory, which
 * the onion service's production torrc already sets).
 */
export function networkLines(nickname: string, authorities: AuthorityInfo[]): string[] {
  return [
    'TestingTorNetwork 1',
    `Nickname ${nickname}`,
    // Skipping the GeoIP databases saves ~1 s of CPU and ~25 MB per process.
    'GeoIPFile /nonexistent',
    'GeoIPv6File /nonexistent',
    // With only 4 relays, the default 60% of paths is not reachable early enough.
    'PathsNeededToBuildCircuits 0.67',
    'ShutdownWaitLength 0',
    ...authorities.map(
      (a) =>
        `DirAuthority ${a.nickname} orport=${a.orPort} no-v2 v3ident=${a.v3ident} 127.0.0.1:${a.dirPort} ${a.fingerprint}`,
    ),
  ];
}

/** Lines shared by every node we write a torrc for from scratch. */
function baseLines(node: NodeInfo, authorities: AuthorityInfo[], owningPid: number): string[] {
  return [
    `DataDirectory ${node.dataDir}`,
    ...networkLines(node.nickname, authorities),
    'Log notice stdout',
    // Tor exits by itself if the harness dies without cleaning up (e.g. SIGKILL).
    `__OwningControllerProcess ${owningPid}`,
  ];
}

function relayLines(orPort: number): string[] {
  return [
    'SocksPort 0',
    `ORPort 127.0.0.1:${orPort}`,
    'Address 127.0.0.1',
    'AssumeReachable 1',
    // Nothing may leave loopback.
    'ExitRelay 0',
  ];
}

export function relayTorrc(node: NodeInfo, orPort: number, authorities: AuthorityInfo[], owningPid: number): string {
  return toTorrc([...baseLines(node, authorities, owningPid), ...relayLines(orPort)]);
}

export function authorityTorrc(
  node: NodeInfo,
  self: AuthorityInfo,
  authorities: AuthorityInfo[],
  owningPid: number,
  votingIntervalSeconds = 10,
): string {
  return toTorrc([
    ...baseLines(node, authorities, owningPid),
    ...relayLines(self.orPort),
    `DirPort 127.0.0.1:${self.dirPort}`,
    'AuthoritativeDirectory 1',
    'V3AuthoritativeDirectory 1',
    // A short first interval so that an authority still starting up, which
    // misses the first vote, loses 5 s instead of a full interval.
    'TestingV3AuthInitialVotingInterval 5',
    'TestingV3AuthInitialVoteDelay 2',
    'TestingV3AuthInitialDistDelay 2',
    `V3AuthVotingInterval ${votingIntervalSeconds}`,
    'V3AuthVoteDelay 2',
    'V3AuthDistDelay 2',
    'TestingDirAuthVoteHSDir *',
    // Only authorities as guards: clients then fetch descriptors from nodes
    // that have them instead of waiting 10 s after a relay's 404.
    `TestingDirAuthVoteGuard ${authorities.map((a) => `$${a.fingerprint}`).join(',')}`,
    'TestingDirAuthVoteGuardIsStrict 1',
  ]);
}

export function clientTorrc(
  node: NodeInfo,
  socksPort: number,
  authorities: AuthorityInfo[],
  owningPid: number,
): string {
  // ExtendedErrors: SOCKS replies say why an onion is unreachable (e.g. no descriptor yet).
  return toTorrc([...baseLines(node, authorities, owningPid), `SocksPort 127.0.0.1:${socksPort} ExtendedErrors`]);
}

function toTorrc(lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

// What `npm start` tells the operator about tor: turned off or missing, and, while it
// runs, its progress towards the Tor network and whether the onion is published yet.
// The onion address is known from the keys alone, before tor has reached anyone, so
// the address by itself must never read as "live".

export const TOR_TURNED_OFF = 'tor is turned off (TOR=0): no onion service, serving on the loopback address only.';
export const TOR_NOT_INSTALLED =
  'tor is not installed (Debian: apt-get install tor), so no onion service: serving on the loopback address only.';

/** How long start-up waits for the onion to be published before saying why it is not (TOR_PUBLISH_WAIT_SECONDS). */
export const DEFAULT_PUBLISH_WAIT_SECONDS = 90;

/** The line saying why there is no onion service, or null when tor should run. */
export function torAbsence({ turnedOff, installed }) {
  if (turnedOff) return TOR_TURNED_OFF;
  if (!installed) return TOR_NOT_INSTALLED;
  return null;
}

export function onionAddressLines(hostname, keysDir) {
  return [
    `Onion address: http://${hostname}/  (keys in ${keysDir}: back them up)`,
    'It is NOT reachable until tor has connected to the Tor network and published it; the lines below say when.',
  ];
}

/**
 * Turns tor's status events (@onionchat/tor's onStatus) into lines for the operator.
 * `update` gives the lines for one event; `notYetPublished` gives, once the wait is
 * over, why the onion cannot be reached (nothing once it is published).
 */
export function createTorReport({ hostname, localOrigin }) {
  let percent = -1;
  let summary = 'Starting';
  let problem = null;
  let published = false;

  const update = (event) => {
    if (event.kind === 'bootstrap') return bootstrapped(event);
    if (event.kind === 'bootstrap-problem') return trouble(event);
    if (event.kind === 'published' && !published) {
      published = true;
      return [`The onion service is published: http://${hostname}/ is reachable through Tor.`];
    }
    return [];
  };

  const bootstrapped = (event) => {
    if (event.percent <= percent) return [];
    percent = event.percent;
    summary = event.summary;
    if (percent < 100) return [`tor: connecting to the Tor network, ${percent}% (${summary})`];
    problem = null;
    return published ? [] : ['tor: connected to the Tor network; publishing the onion service…'];
  };

  const trouble = (event) => {
    if (published || problem === event.reason) return [];
    problem = event.reason;
    return [`tor: trouble connecting at ${event.percent}% (${event.summary}): ${event.reason}`];
  };

  const notYetPublished = () => {
    if (published) return [];
    const local = `Meanwhile OnionChat works on this computer at ${localOrigin}`;
    if (percent < 100) {
      const why = problem ? `; last problem: ${problem}` : '';
      const progress = `Bootstrapped ${Math.max(percent, 0)}%: ${summary}${why}`;
      return [
        `The onion service is NOT reachable yet: tor has not connected to the Tor network (${progress}).`,
        'Check this computer’s network connection; where Tor is blocked, add bridges with TOR_EXTRA_TORRC. ' +
          'A line here will say when the onion is published.',
        local,
      ];
    }
    return [
      'The onion service is NOT reachable yet: tor is connected but has not published the service’s descriptor. ' +
        'This usually takes a minute or two more; a line here will say when it is done.',
      local,
    ];
  };

  return { update, notYetPublished, isPublished: () => published };
}

/** The seconds to wait before `notYetPublished`, from TOR_PUBLISH_WAIT_SECONDS. */
export function publishWaitSeconds(value) {
  if (value === undefined || value === '') return DEFAULT_PUBLISH_WAIT_SECONDS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw new Error(`TOR_PUBLISH_WAIT_SECONDS must be a whole number of seconds, got "${value}"`);
  }
  return seconds;
}

/** Operator-given torrc lines (bridges, a proxy) from the file TOR_EXTRA_TORRC names. */
export function extraTorrcLines(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

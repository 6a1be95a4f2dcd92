// Limits both ends must agree on. The server's are configurable (README "Settings");
// these are its defaults, which the client stays within.

/** Largest page of messages the server hands out (`MESSAGES_PAGE_MAX`). */
export const MESSAGES_PAGE_MAX = 200;

/** Most group records the server hands out in one answer (`GROUP_RECORDS_PAGE_MAX`). */
export const GROUP_RECORDS_PAGE_MAX = 100;

/** A v3 onion service's host name: 56 base32 characters, then ".onion". */
export const ONION_HOST = /^[a-z2-7]{56}\.onion$/;

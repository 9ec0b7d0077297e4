/**
 * EmoBuddy session rules. Session ids are UUIDv7: the first 48 bits are the start time in milliseconds,
 * so the session's sort key (which starts with its start time) can be derived from the id alone.
 */
export const newSessionId = (now: Date, random: Uint8Array): string => {
  if (random.length < 10) throw new Error('need 10 random bytes');
  const bytes = new Uint8Array(16);
  let ms = BigInt(now.getTime());
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70; // version 7
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 9562 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
};

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The start time a session id carries (ISO, ms precision); undefined for an id this API never issued. */
export const sessionStartOf = (id: string): string | undefined => {
  const lower = id.toLowerCase();
  if (!UUID_V7.test(lower)) return undefined;
  const ms = parseInt(lower.slice(0, 8) + lower.slice(9, 13), 16);
  return new Date(ms).toISOString();
};

/** Whole seconds from start to end (never negative). */
export const sessionDurationSec = (startedAt: string, endedAt: string): number =>
  Math.max(0, Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000));

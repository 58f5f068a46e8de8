/**
 * Lenient date parsing for feeds: RFC 822/1123/850 (with the usual mistakes: missing seconds,
 * named or missing zones, full month and day names, wrong weekdays, two-digit years) and
 * ISO 8601 / RFC 3339 (with or without `T`, seconds, fractions or zone). Anything else goes to
 * the platform parser as a last resort. Unparseable → null, never an exception.
 */

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
};

/** Named zones seen in feeds, as minutes east of UTC. (IST is taken as India, its most common use.) */
const ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
  bst: 60, cet: 60, cest: 120, met: 60, mest: 120, mez: 60, mesz: 120, west: 60, eet: 120, eest: 180,
  msk: 180, ist: 330, pkt: 300, wib: 420, ict: 420, hkt: 480, sgt: 480, pht: 480, awst: 480,
  jst: 540, kst: 540, acst: 570, acdt: 630, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

const ISO =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/i;

const RFC822 =
  /^(?:[A-Za-z]{2,},?\s*)?(\d{1,2})(?:\s+|-)([A-Za-z]{3,})\.?,?(?:\s+|-)(\d{2,4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(.*)$/;

function monthNumber(name: string): number | undefined {
  return Object.hasOwn(MONTHS, name) ? MONTHS[name] : undefined;
}

/** Offset in minutes east of UTC for a zone token, null when it is not a zone we understand. */
function zoneOffset(raw: string): number | null {
  const token = raw.replace(/\(.*\)/, '').trim();
  if (token === '') return 0; // no zone: assume UTC
  const numeric = /^(?:(?:GMT|UTC|UT)\s*)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(token);
  if (numeric) {
    const hours = Number(numeric[2]);
    const minutes = Number(numeric[3] ?? 0);
    if (hours > 14 || minutes > 59) return null;
    return (numeric[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const name = token.toLowerCase();
  if (Object.hasOwn(ZONES, name)) return ZONES[name] ?? null;
  // Other alphabetic tokens (military letters, exotic abbreviations): better UTC than no date.
  return /^[A-Za-z]{1,5}$/.test(token) ? 0 : null;
}

function fullYear(year: string): number {
  const n = Number(year);
  if (year.length === 4) return n;
  if (year.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  return NaN;
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes: number;
}

function toDate(p: Parts): Date | null {
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > 31) return null;
  if (p.hour > 24 || p.minute > 59 || p.second > 60) return null;
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, Math.min(p.second, 59), p.millisecond);
  const check = new Date(utc);
  // Reject 31 February and friends rather than letting them roll over.
  if (check.getUTCDate() !== p.day && p.hour !== 24) return null;
  return new Date(utc - p.offsetMinutes * 60_000);
}

function isoParts(text: string): Parts | null {
  // Cheap pre-check (RFC 822 dates are the common case and never have a dash at index 4).
  if (text.charCodeAt(4) !== 0x2d /* - */) return null;
  const m = ISO.exec(text);
  if (!m) return null;
  const offsetMinutes = m[8] === undefined ? 0 : zoneOffset(m[8]);
  if (offsetMinutes === null) return null;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    millisecond: m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0,
    offsetMinutes,
  };
}

function rfc822Parts(text: string): Parts | null {
  const m = RFC822.exec(text);
  if (!m) return null;
  const monthName = (m[2] ?? '').toLowerCase();
  const month = monthNumber(monthName.slice(0, 4)) ?? monthNumber(monthName.slice(0, 3));
  const offsetMinutes = zoneOffset(m[7] ?? '');
  if (month === undefined || offsetMinutes === null) return null;
  return {
    year: fullYear(m[3] ?? ''),
    month,
    day: Number(m[1]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    millisecond: 0,
    offsetMinutes,
  };
}

const MAX_DATE_LENGTH = 100;

/** The earliest date we believe: anything at or before the Unix epoch is a placeholder. */
const EARLIEST = Date.UTC(1970, 0, 2);
const LATEST = Date.UTC(9999, 11, 31);

function plausible(date: Date | null): Date | null {
  if (!date) return null;
  const time = date.getTime();
  return Number.isFinite(time) && time >= EARLIEST && time <= LATEST ? date : null;
}

/** RFC 1123 exactly as most feeds write it (`Sun, 01 Jun 2025 12:00:00 +0000` or `GMT`): no normalising needed. */
const RFC1123 = /^[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (GMT|[+-]\d{4})$/;

/** The common case, read straight into parts; null sends the text down the general path. */
function rfc1123Parts(text: string): Parts | null {
  const m = RFC1123.exec(text);
  if (!m) return null;
  const month = monthNumber((m[2] ?? '').toLowerCase());
  const offsetMinutes = zoneOffset(m[7] ?? '');
  if (month === undefined || offsetMinutes === null) return null;
  return {
    year: Number(m[3]),
    month,
    day: Number(m[1]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    millisecond: 0,
    offsetMinutes,
  };
}

/** Parses a feed date; null when absent or unparseable. */
export function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const common = rfc1123Parts(value.trim());
  if (common) return plausible(toDate(common));
  const text = value.trim().replace(/\s+/g, ' ');
  // Real dates are short; anything long is not one (and should not cost regex time).
  if (text === '' || text.length > MAX_DATE_LENGTH) return null;
  // A string in one of the two feed formats is judged by it alone: "31 Feb" is an error, not 3 March.
  const parts = isoParts(text) ?? rfc822Parts(text);
  if (parts) return plausible(toDate(parts));
  // Last resort: the platform parser knows "Mar 5, 2024", "Tue Mar 05 2024 10:00:00 GMT+0000", ...
  // but also accepts nonsense like "1", so it only gets strings with a four-digit year.
  if (!/\b\d{4}\b/.test(text) || text.length < 8) return null;
  const fallback = Date.parse(text);
  return Number.isNaN(fallback) ? null : plausible(new Date(fallback));
}

/** The first of several candidate date strings that parses. */
export function firstDate(...values: unknown[]): Date | null {
  for (const value of values) {
    const date = parseDate(value);
    if (date) return date;
  }
  return null;
}

/** Feeds that date entries in the future are believed only up to the moment we fetched them. */
export function clampDate(date: Date | null, notAfter: Date): Date | null {
  if (!date) return null;
  return date.getTime() > notAfter.getTime() ? new Date(notAfter.getTime()) : date;
}

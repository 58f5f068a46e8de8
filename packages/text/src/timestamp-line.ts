import { lineForm } from './line-form.js';

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december', 'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov',
  'dec', 'janvier', 'février', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'aout',
  'septembre', 'octobre', 'novembre', 'décembre', 'decembre', 'janv', 'févr', 'fevr', 'avr', 'juil',
  'déc', 'januar', 'jänner', 'februar', 'märz', 'maerz', 'juni', 'juli', 'oktober', 'dezember', 'jän',
  'okt', 'dez', 'enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre',
  'setiembre', 'octubre', 'noviembre', 'diciembre', 'ene', 'abr', 'ago', 'dic',
];

const WEEKDAYS = [
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'mon', 'tue', 'tues',
  'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi',
  'samedi', 'dimanche', 'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonntag',
  'lunes', 'martes', 'miércoles', 'miercoles', 'jueves', 'viernes', 'sábado', 'sabado', 'domingo',
];

/** "3 hours ago", "il y a 3 heures", "vor 3 Stunden", "hace 3 horas". */
const RELATIVE = ['ago', 'hace', 'vor', 'il'];

/** Words that may surround a date in a stamp: labels, prepositions, time units, time zones. */
const FILLER = [
  'updated', 'update', 'published', 'posted', 'last', 'modified', 'on', 'at', 'the', 'of', 'am', 'pm',
  'a.m', 'p.m', 'just', 'now', 'today', 'yesterday', 'minute', 'minutes', 'min', 'mins', 'hour', 'hours',
  'hr', 'hrs', 'h', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'mis', 'à', 'a',
  'jour', 'le', 'publié', 'publiée', 'modifié', 'actualisé', 'y', 'heure', 'heures', 'jours',
  "aujourd'hui", 'hier', 'veröffentlicht', 'aktualisiert', 'stand', 'um', 'uhr', 'heute', 'gestern',
  'minuten', 'stunde', 'stunden', 'tag', 'tagen', 'actualizado', 'publicado', 'actualización', 'el', 'de',
  'del', 'la', 'las', 'los', 'hoy', 'ayer', 'minutos', 'hora', 'horas', 'día', 'días', 'gmt', 'utc',
  'bst', 'est', 'edt', 'cst', 'cdt', 'mst', 'mdt', 'pst', 'pdt', 'cet', 'cest', 'eet', 'eest', 'ist',
  'jst', 'aest', 'aedt', 'mez', 'mesz', 'z',
];

const ANCHORS = new Set([...MONTHS, ...WEEKDAYS, ...RELATIVE]);
const ALLOWED = new Set([...ANCHORS, ...FILLER]);

/** ISO dates and date-times, numeric dates, clock times: each replaced by a marker token. */
const STRUCTURED = [
  /\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?/g,
  /\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}/g,
  /\d{1,2}(?::\d{2}){1,2}(?: ?[ap]\.?m\.?)?|\d{1,2}[.h]\d{2} ?(?:[ap]\.?m\.?|uhr|h)?|\d{1,2} ?[ap]\.?m\.?/g,
];
const MARKER = '\u0001';
const LETTER_RUN = /\p{L}+/gu;
/** Letter runs inside date tokens: ordinal suffixes, ISO separators, `a.m.`, `14h05`. */
const FRAGMENTS = new Set(['st', 'nd', 'rd', 'th', 'er', 'e', 't', 'z', 'h', 'm', 'p', 'a', 'o']);
const NUMBER = /^\d{1,4}(?:st|nd|rd|th|er|e|o|a)?$/;

/**
 * Whether a line is nothing but a date or time stamp ("Updated: March 11, 2025 09:05 GMT",
 * "11/03/2025", "2025-03-11T09:05:00Z", "Mardi 11 mars 2025", "3 hours ago"). A line made only of
 * date words must still name a month or weekday, hold an ISO/numeric date or clock time, or be
 * relative ("ago") with a number: a lone "2024" or "Chapter 3" is not a stamp. Bylines are not
 * stamps ("By Jane Doe, March 11" has a name in it). `form` is `lineForm(line)` when the caller
 * already has it.
 */
export function isTimestampLine(line: string, form?: string): boolean {
  if (line.length > 80 || !/\d/.test(line)) return false;
  let text = form ?? lineForm(line);
  // Quick rejection: every run of letters must be a date word or part of one ("11th", "a.m.",
  // "T09:05Z", "14h05").
  LETTER_RUN.lastIndex = 0;
  for (let run = LETTER_RUN.exec(text); run !== null; run = LETTER_RUN.exec(text)) {
    if (!ALLOWED.has(run[0]) && !FRAGMENTS.has(run[0])) return false;
  }
  for (const pattern of STRUCTURED) text = text.replace(pattern, ` ${MARKER} `);
  const tokens = text.split(/[\s,;:|•·()[\]/–—-]+/u).filter((token) => token !== '');
  if (tokens.length === 0 || tokens.length > 12) return false;
  let anchored = false;
  let numbered = false;
  for (const raw of tokens) {
    const token = raw.replace(/\.+$/, '');
    if (token === MARKER) {
      anchored = true;
      numbered = true;
    } else if (NUMBER.test(token)) {
      numbered = true;
    } else if (ALLOWED.has(token)) {
      if (ANCHORS.has(token)) anchored = true;
    } else if (token !== '') {
      return false;
    }
  }
  return anchored && numbered;
}

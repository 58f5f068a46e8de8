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
const RELATIVE = ['ago', 'hace', 'vor'];

/** Words that may surround a date in a stamp: labels, prepositions, time units, time zones. */
const FILLER = [
  'updated', 'update', 'published', 'posted', 'last', 'modified', 'on', 'at', 'the', 'of', 'am', 'pm',
  'a.m', 'p.m', 'just', 'now', 'today', 'yesterday', 'minute', 'minutes', 'min', 'mins', 'hour', 'hours',
  'hr', 'hrs', 'h', 'day', 'days', 'week', 'weeks', 'month', 'months', 'year', 'years', 'mis', 'à', 'a',
  'jour', 'le', 'publié', 'publiée', 'modifié', 'actualisé', 'il', 'y', 'heure', 'heures', 'jours',
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
const NUMBER = /^\d{1,4}(?:st|nd|rd|th|er|e|º|ª)?$/;

/**
 * Whether a line is nothing but a date or time stamp ("Updated: March 11, 2025 09:05 GMT",
 * "11/03/2025", "2025-03-11T09:05:00Z", "Mardi 11 mars 2025", "3 hours ago"). A line made only of
 * date words must still name a month or weekday, hold an ISO/numeric date or clock time, or be
 * relative ("ago") with a number: a lone "2024" or "Chapter 3" is not a stamp. Bylines are not
 * stamps ("By Jane Doe, March 11" has a name in it).
 */
export function isTimestampLine(line: string): boolean {
  if (line.length > 80 || !/\d/.test(line)) return false;
  let form = lineForm(line);
  for (const pattern of STRUCTURED) form = form.replace(pattern, ` ${MARKER} `);
  const tokens = form.split(/[\s,;:|•·()[\]/–—-]+/u).filter((token) => token !== '');
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

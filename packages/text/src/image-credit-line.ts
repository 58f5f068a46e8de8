import { lineForm, wordCount } from './line-form.js';

/** Credit lines are short; a longer line starting "Photo:" is a caption or prose. */
const MAX_WORDS = 12;

/** "Photo: Jane Doe/Reuters", "Image credit: NASA", "Foto: dpa", "Photo by X on Unsplash". */
const LABELLED = /^(?:photo(?:graph)?s?|pictures?|images?|illustrations?|credits?|(?:photo|image|picture) (?:credit|source)s?|foto(?:s|grafía)?|bild(?:quelle)?|imagen(?:es)?|crédits?(?: photos?)?|photo ?:)\s*(?::|by\b)\s*\S/u;

/** Agencies and stock libraries that credit lines name. */
const AGENCY = String.raw`getty(?: images)?|afp(?: via getty images)?|ap(?: photo)?|associated press|reuters|shutterstock|alamy(?: stock photo)?|istock(?:photo)?|epa(?:-efe)?|efe|pa(?: media| wire)?|dpa|anp|ansa|bloomberg(?: via getty images)?|unsplash|handout|supplied|file photo|file|courtesy.{0,40}`;

/** "(Getty Images)", "(AP Photo/Efrem Lukatsky)", "[Reuters]", "(Photo: …)". */
const BRACKETED = new RegExp(
  String.raw`^[([](?:[^()[\]]{0,60}[/,] ?)?(?:${AGENCY}|(?:photo|image|picture|foto|bild)\b[^()[\]]{0,60})(?:[/,] ?[^()[\]]{0,60})?[)\]]$`,
  'u',
);

/** "Getty Images", "Jane Doe/AFP via Getty Images", "REUTERS/Jane Doe". */
const BARE = new RegExp(String.raw`^(?:[\p{L}\p{M}.' -]{1,40} ?/ ?)?(?:${AGENCY})(?: ?/ ?[\p{L}\p{M}.' -]{1,40})?$`, 'u');

/**
 * Whether a line is only an image credit (standing alone on its line): "Photo: …", "Image: …",
 * "Credit: …", "(Getty Images)", "(AP)", "Jane Doe/Reuters". Captions themselves are content
 * and stay; a caption ending with its credit in brackets is left alone here. `form` is
 * `lineForm(line)` when the caller already has it.
 */
export function isImageCreditLine(line: string, form?: string): boolean {
  if (line.length > 300) return false;
  const text = form ?? lineForm(line);
  if (text === '' || wordCount(text, MAX_WORDS) > MAX_WORDS) return false;
  return LABELLED.test(text) || BRACKETED.test(text) || (text.length <= 100 && BARE.test(text));
}

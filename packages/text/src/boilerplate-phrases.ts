/**
 * The phrases of site chrome that scraped and syndicated article text carries: account prompts,
 * comment forms, legal links, cookie notices, share and subscribe buttons, "read more" links…
 * English plus the common French, German and Spanish equivalents. All are matched against
 * `lineForm` text (lower case, straight apostrophes), anchored, so they only ever match a whole
 * line, sentence or `|`-separated item, never words inside a real sentence.
 */

const SOCIAL = String.raw`facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|tumblr|pocket|flipboard|mastodon|bluesky|threads|messenger|e-?mail|print|copy link|sms`;

/** Whole items (a short line, or one item of `Log in | Register`) that are chrome. */
const SHORT_EXACT = [
  // accounts
  String.raw`log ?(?:in|out)`, String.raw`sign ?(?:in|out|up)`, 'register', 'my account', 'account',
  String.raw`create (?:an |your |a free )?account`, String.raw`(?:or )?(?:log|sign) ?in with [\p{L}\p{N} ]+`,
  String.raw`or with (?:username|e-?mail)`, String.raw`(?:forgot|forgotten|lost) (?:your )?password`,
  String.raw`reset (?:your )?password`, 'remember me', 'username', 'password', String.raw`e-?mail(?: address)?`,
  'name', 'website', 'submit', 'welcome back',
  // comments
  String.raw`leave a (?:reply|comment|response)`, 'cancel reply', String.raw`post (?:a |your )?comment`, 'reply',
  'comments?', String.raw`comments? ?\(\d+\)`, String.raw`\d+ (?:comments?|replies|responses)`,
  String.raw`no comments(?: yet)?`, String.raw`(?:view|show|hide|load|read|see) (?:all )?(?:\d+ )?comments`,
  String.raw`(?:add|write) a comment`, String.raw`join the (?:conversation|discussion)`,
  // legal and navigation
  String.raw`privacy(?: policy| notice| statement| settings)?`, String.raw`terms(?: of (?:service|use)| (?:and|&) conditions)?`,
  String.raw`cookies?(?: policy| settings| preferences| notice)?`, String.raw`(?:accept|reject|manage)(?: all)?(?: cookies)?`,
  String.raw`contact(?: us)?`, String.raw`about(?: us)?`, 'imprint', 'sitemap', 'back to top', 'home', 'menu', 'search', 'close',
  String.raw`skip to (?:main )?content`, 'skip advertisement',
  // collections and saving
  String.raw`add to (?:my )?(?:collections?|favou?rites|reading list|bookmarks)`, 'no collections', 'bookmark',
  String.raw`save(?: (?:article|story|for later))?`,
  // sharing
  String.raw`share(?: (?:this|this article|this story|article|story))?`, String.raw`share (?:on|via|to) [\p{L}\p{N}+.-]+`,
  String.raw`click to (?:share|print|email)(?: on [\p{L}\p{N}+.-]+)?`, String.raw`(?:${SOCIAL})`, 'like this', 'like', 'loading',
  // ads, subscriptions, promotion
  'advertisement', 'advertising', 'ad', String.raw`sponsored(?: content)?`, 'paid content',
  String.raw`subscribe(?: (?:now|today|here|for free))?`, String.raw`(?:subscribe to |sign up (?:to|for) )?(?:our |the )?newsletters?`,
  String.raw`newsletter sign ?up`, String.raw`follow us(?: on [\p{L}\p{N}+.-]+)?`,
  // "more" links and related content
  String.raw`related(?: (?:posts|articles|stories|content|reading|topics|news))?`, String.raw`(?:read|see|view) (?:more|next|also)`,
  'more', 'continue reading', String.raw`read (?:the )?(?:full|rest of the) (?:story|article)`,
  String.raw`you (?:may|might) also like`, String.raw`recommended(?: for you)?`, String.raw`most (?:popular|read)`,
  String.raw`trending(?: now)?`, String.raw`\d+ min(?:ute)?s? read`, 'all rights reserved',
  // French
  'se connecter', 'connexion', "s'inscrire", 'inscription', 'se déconnecter', 'déconnexion', 'mot de passe oublié',
  'créer un compte', 'mon compte', 'politique de confidentialité', 'confidentialité', 'mentions légales',
  "conditions (?:générales )?d'utilisation", 'gestion des cookies', String.raw`partager(?: sur [\p{L}\p{N}+.-]+)?`,
  'publicité', "s'abonner", 'abonnez-vous', String.raw`lire (?:la suite|aussi|plus)`, 'à lire aussi',
  String.raw`articles? (?:similaires|liés)`, 'laisser un commentaire', 'commentaires?', 'répondre',
  'annuler la réponse', 'chargement', 'tous droits réservés',
  // German
  'anmelden', 'einloggen', 'abmelden', 'registrieren', 'passwort vergessen', 'konto erstellen', 'mein konto',
  String.raw`datenschutz(?:erklärung|hinweise?| ?einstellungen)?`, 'impressum', 'nutzungsbedingungen', 'agb',
  'cookie-einstellungen', String.raw`teilen(?: (?:auf|per|via) [\p{L}\p{N}+.-]+)?`, 'anzeige', 'werbung', 'abonnieren',
  'jetzt abonnieren', 'newsletter abonnieren', 'weiterlesen', 'mehr lesen', 'mehr zum thema', 'ähnliche artikel',
  'das könnte sie auch interessieren', 'kommentare?', String.raw`kommentar (?:schreiben|hinterlassen)`,
  'schreibe einen kommentar', 'antworten', 'antwort abbrechen', 'wird geladen', 'alle rechte vorbehalten',
  // Spanish
  String.raw`inicia(?:r)? sesión`, 'acceder', 'registrarse', 'regístrate', 'cerrar sesión',
  String.raw`(?:has )?olvidado tu contraseña`, 'olvidaste tu contraseña', String.raw`crear (?:una )?cuenta`, 'mi cuenta',
  'política de privacidad', 'privacidad', 'aviso legal', 'política de cookies', String.raw`términos (?:y condiciones|de uso)`,
  String.raw`compartir(?: en [\p{L}\p{N}+.-]+)?`, 'publicidad', 'suscríbete', 'suscribirse', 'boletín', 'leer más',
  'seguir leyendo', String.raw`(?:artículos|noticias) relacionad[oa]s`, String.raw`dej(?:a|ar) un comentario`,
  'comentarios?', 'responder', 'cancelar respuesta', 'cargando', 'todos los derechos reservados',
];

/** Openings that make a line of at most four words chrome whatever follows ("Log in to comment"). */
const SHORT_PREFIX = [
  String.raw`log ?in`, String.raw`sign ?(?:in|up)`, 'subscribe', 'read more', 'continue reading', 'share (?:on|this|via)',
  'follow us', 'privacy policy', 'cookie (?:policy|settings)', 'advertisement', 'related (?:posts|articles|stories)',
  'more from', 'see also', 'read next', 'se connecter', "s'abonner", 'lire la suite', 'à lire aussi', 'anmelden',
  'weiterlesen', 'mehr zum thema', 'iniciar sesión', 'leer más', 'suscríbete',
];

/** Whole sentences of chrome, at any length. */
const SENTENCES = [
  // comment forms (WordPress and co.)
  String.raw`your e-?mail(?: address)? will not be published`, String.raw`required fields are marked(?: \*)?`,
  String.raw`(?:save|remember) my name,? e-?mail,? and website in this browser for the next time i comment`,
  String.raw`notify me of (?:follow-up comments|new posts|new comments|replies)(?: (?:by|via) e-?mail)?`,
  String.raw`you must be (?:logged|signed) in to (?:post a )?comment`, 'this site uses akismet to reduce spam',
  'learn how your comment data is processed',
  String.raw`votre adresse (?:e-?mail|de messagerie) ne sera pas publiée`,
  String.raw`les champs obligatoires sont indiqués avec(?: \*)?`,
  String.raw`(?:deine|ihre) e-?mail-adresse wird nicht veröffentlicht`, String.raw`erforderliche felder sind mit(?: \*)? markiert`,
  String.raw`tu (?:dirección de )?correo electrónico no será publicad[oa]`,
  String.raw`los campos obligatorios están marcados con(?: \*)?`,
  // account flows
  'enter your account data and we will send you a link to reset your password',
  'your password reset link appears to be invalid or expired', "here you'll find all collections you've created before",
  String.raw`(?:don't|do not) have an account\?? (?:sign up|register)`,
  // cookie notices
  String.raw`(?:we|this (?:web)?site) uses? cookies\b.*`,
  String.raw`by (?:continuing to )?(?:use|using|browsing) (?:this|our) (?:web)?site,? you (?:agree|consent|accept)\b.*`,
  String.raw`(?:ce site|nous) utilis(?:e|ons) des cookies.*`, String.raw`(?:diese website|wir) (?:verwendet|verwenden|nutzt|nutzen) cookies.*`,
  String.raw`(?:este sitio(?: web)?|utilizamos) (?:utiliza )?cookies.*`,
  // newsletters, ads
  String.raw`(?:sign up|subscribe|register)(?: now| today| here)? (?:to|for) (?:our|the|my)(?: free)?(?: daily| weekly| morning| evening)?(?: [\p{L}'-]+)? newsletters?\b.*`,
  String.raw`(?:story|article) continues below(?: this)? (?:advertisement|ad)`, String.raw`scroll (?:down )?to continue(?: reading)?`,
  String.raw`continue reading(?: the (?:main )?(?:story|article)| below| after the (?:ad|advertisement))`,
  String.raw`click to (?:share|print|email) on [\p{L}\p{N}+.-]+ \(opens in new window\)`,
];

/** Whole lines of chrome that may contain any punctuation (titles, code, names). */
const LINES = [
  // WordPress feed footers, in English, French, German and Spanish
  String.raw`the post .+ appeared first on .+`, String.raw`l'article .+ est apparu en premier sur .+`,
  String.raw`der beitrag .+ erschien zuerst auf .+`, String.raw`la entrada .+ (?:se publicó|aparece) primero en .+`,
  // Jetpack's share/like block flattened into one line, and share bars with separators
  // ("Share this: Facebook · X · WhatsApp · Email")
  String.raw`(?:(?:share this|like this|like|loading|${SOCIAL}|more)\s*[:.…·•|/,–-]*\s*)+`,
];

/** Copyright lines (at most 25 words): "© 2025 Example Media", "Copyright 2024 …", "… All rights reserved." */
export const COPYRIGHT_START = /^(?:©|\(c\)|copyright ?(?:©|\(c\)|\d{4}))/u;
export const COPYRIGHT_END = /(?:all rights reserved|tous droits réservés|alle rechte vorbehalten|todos los derechos reservados)$/u;

/** Script residue (on the line as printed): inline JavaScript that leaked into the text. */
export const SCRIPT_RESIDUE = /^(?:\(\s*function\s*\(|!function\s*\(|\(\s*\(\)\s*=>|window\.[\w$]+\s*(?:=|\.|\(|\[)|document\.(?:write|getElementById|querySelector|createElement)\b|(?:var|let|const) [\w$]+\s*=|googletag\.|\(adsbygoogle|_gaq\.|fbq\(|gtag\()/;

export const SHORT_EXACT_PATTERN = new RegExp(`^(?:${SHORT_EXACT.join('|')})$`, 'u');
export const SHORT_PREFIX_PATTERN = new RegExp(`^(?:${SHORT_PREFIX.join('|')})(?![\\p{L}\\p{N}])`, 'u');
export const SENTENCE_PATTERN = new RegExp(`^(?:${SENTENCES.join('|')})$`, 'u');
export const LINE_PATTERN = new RegExp(`^(?:${LINES.join('|')})$`, 'u');

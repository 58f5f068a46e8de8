/**
 * Stop words per language: the function words that say nothing about which event a headline is
 * about. Short lists on purpose (the commonest few dozen per language); IDF weighting handles
 * the rest. Keys are ISO 639-1 codes.
 */
const LISTS: Record<string, string> = {
  en: `a about after again against all also am an and any are as at be been before being but by can could
    did do does doing down during each few for from further had has have having he her here hers him his
    how i if in into is it its itself just me more most my no nor not now of off on once only or other our
    out over own same she should so some such than that the their them then there these they this those
    through to too under until up very was we were what when where which while who whom why will with would
    you your says said say new amid via vs get gets got may might must us s t`,
  fr: `a au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une
    vos votre vous c d j l m n s y été être avoir est sont a ont plus selon après avant contre`,
  de: `aber als am an auch auf aus bei bin bis bist da dadurch daher darum das dass dein deine dem den der
    des dessen die dies dieser dieses doch dort du durch ein eine einem einen einer eines er es euer eure
    für hatte hatten hattest hattet hier hinter ich ihr ihre im in ist ja jede jedem jeden jeder jedes
    jener jenes jetzt kann kannst können könnt machen mein meine mit muß mußt musst müssen müßt nach
    nachdem nein nicht nun oder seid sein seine sich sie sind soll sollen sollst sollt sonst soweit sowie
    und unser unsere unter vom von vor wann warum was weiter weitere wenn wer werde werden werdet weshalb
    wie wieder wieso wir wird wirst wo woher wohin zu zum zur über`,
  es: `a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella
    ellas ellos en entre era erais eran eras eres es esa esas ese eso esos esta estaba estado estas este
    esto estos fue fueron ha han hasta hay la las le les lo los más me mi mis mucho muy nada ni no nos
    nosotros o os otra otros para pero poco por porque que quien se sea ser si sido sin sobre su sus
    también tanto te tiene tienen todo todos tu tus un una uno unos y ya`,
  it: `a ad al alla alle allo agli ai anche avere c che chi ci con contro da dal dalla dalle dai degli dei
    del della delle dello di dopo e ed è gli ha hanno i il in io la le lo loro ma mi ne nei nel nella nelle
    non o per più poi quale quando quello questa questo se si sono su sua sue sul sulla suo suoi tra un
    una uno`,
  pt: `a ao aos as até com como da das de dela dele deles do dos e ela elas ele eles em entre era essa esse
    esta este eu foi foram há isso isto já mais mas me mesmo meu minha muito na nas nem no nos o os ou
    para pela pelas pelo pelos por qual quando que quem se sem ser seu sua são só também te tem um uma
    umas uns à às é`,
  nl: `aan al als bij dan dat de der deze die dit doch door een en er ge geen had heb hebben heeft het hier
    hij hoe hun ik in is ja je kan kon maar me meer men met mij mijn na naar niet niets nog nu of om onder
    ons ook op over te tegen toch toen tot u uit van veel voor want waren was wat we wel werd wie wij
    wil worden zal ze zei zich zij zijn zo zonder zou`,
  ru: `а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до
    его ее если есть еще же за здесь и из или им их к как ко когда кто ли либо мне может мы на надо наш
    не него нее нет ни них но ну о об однако он она они оно от очень по под при с со так также такой там
    те тем то того тоже той только том ты у уже хотя чего чей чем что чтобы чье чья эта эти это я`,
};

const SETS = new Map<string, Set<string>>(
  Object.entries(LISTS).map(([lang, words]) => [lang, new Set(words.split(/\s+/).filter(Boolean).map((w) => w.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC')))]),
);

export const STOP_WORD_LANGUAGES = [...SETS.keys()];

export function stopWords(language: string): Set<string> {
  return SETS.get(language) ?? SETS.get('en') ?? new Set();
}

/** Guesses a text's language from which list its words hit most; null when nothing stands out. */
export function detectLanguage(tokens: string[]): string | null {
  let best: string | null = null;
  let bestHits = 0;
  for (const [lang, set] of SETS) {
    let hits = 0;
    for (const t of tokens) if (set.has(t)) hits += 1;
    if (hits > bestHits) {
      best = lang;
      bestHits = hits;
    }
  }
  return bestHits >= 2 || (bestHits === 1 && tokens.length <= 6) ? best : null;
}

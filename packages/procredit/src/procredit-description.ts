// ProCredit's gateway accepts Latin letters only in the order description (its onboarding notes:
// "API description must be Latin letters only"), and integrations cap it at 120 characters. So
// descriptions are transliterated (Georgian, Russian, Azerbaijani and other accented Latin),
// stripped of anything else, and cut to length, instead of failing the payment.

// Georgian Mkhedruli, national romanization system (2002).
const GEORGIAN: Readonly<Record<string, string>> = {
  ა: 'a',
  ბ: 'b',
  გ: 'g',
  დ: 'd',
  ე: 'e',
  ვ: 'v',
  ზ: 'z',
  თ: 't',
  ი: 'i',
  კ: 'k',
  ლ: 'l',
  მ: 'm',
  ნ: 'n',
  ო: 'o',
  პ: 'p',
  ჟ: 'zh',
  რ: 'r',
  ს: 's',
  ტ: 't',
  უ: 'u',
  ფ: 'p',
  ქ: 'k',
  ღ: 'gh',
  ყ: 'q',
  შ: 'sh',
  ჩ: 'ch',
  ც: 'ts',
  ძ: 'dz',
  წ: 'ts',
  ჭ: 'ch',
  ხ: 'kh',
  ჯ: 'j',
  ჰ: 'h',
};

// Russian (and the Cyrillic letters Kazakh shares with it), a simple passport-style scheme.
const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
  і: 'i',
  ә: 'a',
  ғ: 'g',
  қ: 'q',
  ң: 'n',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
};

// Latin letters that Unicode does not decompose into a base letter plus accents.
const LATIN_EXTRA: Readonly<Record<string, string>> = {
  ə: 'e',
  Ə: 'E',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  đ: 'd',
  Đ: 'D',
  ł: 'l',
  Ł: 'L',
  œ: 'oe',
  Œ: 'OE',
};

const ALLOWED = /[^A-Za-z0-9 .,:;_\-/#()]/g;

/**
 * Reduces a description to what ProCredit accepts: Latin letters, digits, spaces and a few
 * punctuation marks, at most `maxLength` characters. Georgian and Cyrillic are transliterated
 * (`"კურსი №5"` -> `"kursi No5"`), accents removed (`"Bakı şəhəri"` -> `"Baki seheri"`).
 */
export function toBankDescription(text: string, maxLength = 120): string {
  let result = '';
  for (const character of text.normalize('NFKD')) {
    const lower = character.toLowerCase();
    const replacement = GEORGIAN[character] ?? CYRILLIC[lower] ?? LATIN_EXTRA[character];
    if (replacement !== undefined) {
      result += character !== lower && replacement ? capitalize(replacement) : replacement;
    } else {
      result += character;
    }
  }
  const cleaned = result
    .replace(/[\u0300-\u036f]/g, '')
    .replace(ALLOWED, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length <= maxLength ? cleaned : cleaned.slice(0, maxLength).trimEnd();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

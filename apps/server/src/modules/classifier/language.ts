const HAN = /\p{Script=Han}/gu;
const LATIN = /[A-Za-z]/g;

/**
 * The language of an inquiry for routing (`zh` or `en`; null when there is no text to tell): Chinese as soon
 * as Han characters make up a fair share of the letters, since mixed messages ("refund 什么时候到账") come from
 * Chinese speakers far more often than the reverse.
 */
export function detectLanguage(text: string): 'zh' | 'en' | null {
  const han = text.match(HAN)?.length ?? 0;
  const latin = text.match(LATIN)?.length ?? 0;
  if (han === 0 && latin === 0) return null;
  // One Han character weighs about as much as a short English word.
  return han * 4 >= latin ? 'zh' : 'en';
}

/**
 * Which language a prompt is written in, judged by script as the seed project did,
 * but by weight rather than by "any Chinese character": a Han character or a kana
 * counts as one word, a run of Latin (or other alphabetic) letters as one word, and
 * the script with the most words wins. Kana anywhere makes Han text Japanese, Hangul
 * is Korean. Latin script counts as English: script cannot tell English from Spanish,
 * so `translate` leaves any Latin-script prompt alone for an English model
 * (docs/prompt-optimization.md).
 */

/** A BCP 47 primary tag (`en`, `zh`, ...), or `und` when the text has no letters at all. */
export type DetectedLanguage = string;

const alphabets: ReadonlyArray<{ language: string; pattern: RegExp }> = [
  { language: 'en', pattern: /\p{Script=Latin}+/gu },
  { language: 'ru', pattern: /\p{Script=Cyrillic}+/gu },
  { language: 'el', pattern: /\p{Script=Greek}+/gu },
  { language: 'ar', pattern: /\p{Script=Arabic}+/gu },
  { language: 'he', pattern: /\p{Script=Hebrew}+/gu },
  { language: 'hi', pattern: /\p{Script=Devanagari}+/gu },
  { language: 'th', pattern: /\p{Script=Thai}+/gu },
  // Hangul is alphabetic but written in syllable blocks separated by spaces: a run is a word.
  { language: 'ko', pattern: /\p{Script=Hangul}+/gu },
];

const han = /\p{Script=Han}/gu;
const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

export function detectPromptLanguage(text: string): DetectedLanguage {
  const kanaCount = count(text, kana);
  const hanCount = count(text, han);
  const words = new Map<string, number>();
  // Japanese mixes Han and kana; kana is the tell.
  if (kanaCount + hanCount > 0) words.set(kanaCount > 0 ? 'ja' : 'zh', kanaCount + hanCount);
  for (const { language, pattern } of alphabets) {
    const found = count(text, pattern);
    if (found > 0) words.set(language, (words.get(language) ?? 0) + found);
  }
  let best: DetectedLanguage = 'und';
  let bestCount = 0;
  for (const [language, found] of words) {
    // A tie goes to the non-Latin script: "猫 cat" is a Chinese prompt with an English gloss.
    if (found > bestCount || (found === bestCount && best === 'en')) {
      best = language;
      bestCount = found;
    }
  }
  return best;
}

/** Is a prompt in `detected` already fit for a model that wants `target` (`any` takes every language)? */
export function isInLanguage(detected: DetectedLanguage, target: string): boolean {
  return target === 'any' || detected === 'und' || detected === target;
}

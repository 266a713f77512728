import t from 'tap';
import { detectPromptLanguage, isInLanguage } from '@uig/core';

// Script-based detection: the case, the language it must give, and why.
const table: Array<[string, string, string]> = [
  ['一只戴着红围巾的猫', 'zh', 'Han only'],
  ['a cat wearing a red scarf', 'en', 'Latin only'],
  ['一只戴着 Gucci 帽子的猫', 'zh', 'a brand name inside Chinese'],
  ['CogView 4 画一只猫', 'zh', 'a model name before Chinese'],
  ['a photo of 长城 at sunset', 'en', 'a Chinese place name inside English'],
  ['猫 cat', 'zh', 'a tie goes to the non-Latin script'],
  ['一只猫。', 'zh', 'full-width punctuation'],
  ['ＡＢＣ ｃａｔ', 'en', 'full-width Latin letters'],
  ['東京の夜景', 'ja', 'Han with kana is Japanese'],
  ['カフェの猫', 'ja', 'katakana'],
  ['서울의 밤 풍경', 'ko', 'Hangul'],
  ['кошка в шарфе', 'ru', 'Cyrillic'],
  ['🐱 cat 🎨', 'en', 'emoji are not letters'],
  ['1024×1024 !!!', 'und', 'no letters at all'],
  ['', 'und', 'empty'],
  ['ciudad de noche', 'en', 'Latin script counts as English (script cannot tell Spanish)'],
  ['a red fox, 4k, 8k, HDR, 雪', 'en', 'one Han character among English tags'],
];

t.test('detects the language of mixed prompts by script', async (t) => {
  for (const [text, expected, why] of table)
    t.equal(detectPromptLanguage(text), expected, `${why}: "${text}"`);
});

t.test('a prompt is fit for a model when it is in its language, or the model takes any', async (t) => {
  t.ok(isInLanguage('zh', 'zh'));
  t.notOk(isInLanguage('en', 'zh'));
  t.notOk(isInLanguage('ja', 'zh'), 'Japanese is not Chinese');
  t.ok(isInLanguage('ko', 'any'));
  t.ok(isInLanguage('und', 'en'), 'nothing to translate');
});

import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { contentId, InlineImageBytes, parseVendorJson, vendorBase64Of } from '@uig/core';

const image = randomBytes(100_001);
const base64 = image.toString('base64');
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 32);

t.test('b64_json values are decoded into bytes, the rest parses as JSON.parse would', async (t) => {
  const second = randomBytes(30_000);
  const answer = {
    created: 1,
    data: [
      { b64_json: base64, revised_prompt: 'a "quoted" \\ prompt, ünïcode ☂ \u2028' },
      { b64_json: second.toString('base64') },
    ],
    usage: { total_tokens: 3 },
  };
  const parsed = parseVendorJson(Buffer.from(JSON.stringify(answer)), ['b64_json']) as typeof answer;
  const [one, two] = parsed.data as unknown as Array<{ b64_json: InlineImageBytes; revised_prompt?: string }>;
  t.ok(one!.b64_json instanceof InlineImageBytes);
  t.ok(one!.b64_json.data.equals(image));
  t.ok(two!.b64_json.data.equals(second));
  t.equal(one!.revised_prompt, answer.data[0]!.revised_prompt);
  t.same(parsed.usage, answer.usage);
  t.equal(contentId(one!.b64_json.data), sha(image), 'the id hashed while decoding is the bytes’ id');
});

t.test('strings it cannot decode exactly are left to JSON.parse', async (t) => {
  // A server that escapes slashes (`\/`), one that wraps base64 lines, and a long value under another key.
  const escaped = Buffer.from(JSON.stringify({ data: [{ b64_json: base64 }] }).replaceAll('/', '\\/'));
  t.equal((parseVendorJson(escaped, ['b64_json']) as any).data[0].b64_json, base64);
  const wrapped = base64.replace(/(.{76})/g, '$1\n');
  const lines = Buffer.from(JSON.stringify({ data: [{ b64_json: wrapped }] }));
  t.equal((parseVendorJson(lines, ['b64_json']) as any).data[0].b64_json, wrapped);
  const other = Buffer.from(JSON.stringify({ revised_prompt: base64 }));
  t.equal((parseVendorJson(other, ['b64_json']) as any).revised_prompt, base64);
  const quoteInside = Buffer.from(JSON.stringify({ note: `"b64_json":"${'A'.repeat(20_000)}` }));
  t.equal((parseVendorJson(quoteInside, ['b64_json']) as any).note.length, 20_000 + 12);
});

t.test('a body that is not JSON throws a SyntaxError', async (t) => {
  t.throws(() => parseVendorJson(Buffer.from(`{"data":[{"b64_json":"${base64}"`), ['b64_json']), SyntaxError);
  t.throws(() => parseVendorJson(Buffer.from('<html>'), ['b64_json']), SyntaxError);
});

t.test(
  "the vendor's base64 text is kept for the answer only when it is canonical standard base64",
  async (t) => {
    const decode = (text: string) =>
      (parseVendorJson(Buffer.from(JSON.stringify({ data: [{ b64_json: text }] })), ['b64_json']) as any)
        .data[0].b64_json as InlineImageBytes;
    const kept = decode(base64);
    t.equal(vendorBase64Of(kept.data)?.toString('latin1'), base64, 'canonical: the text itself');
    t.equal(vendorBase64Of(Buffer.from(kept.data)), undefined, 'a copy of the bytes is not matched');
    // 100,001 bytes: the last group encodes 2 bytes + `=`; a set bit after the data is not canonical.
    const last = base64.charAt(base64.length - 2);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const loose = `${base64.slice(0, -2)}${alphabet[alphabet.indexOf(last) | 1]}=`;
    const looseBytes = decode(loose);
    t.ok(looseBytes.data.equals(image), 'the same bytes decoded');
    t.equal(vendorBase64Of(looseBytes.data), undefined, 'non-zero trailing bits: encoded again');
    const url = image.toString('base64url');
    const padded = url + '='.repeat((4 - (url.length % 4)) % 4);
    t.ok(padded.includes('-') || padded.includes('_'), 'the sample has base64url characters');
    const urlBytes = decode(padded);
    t.ok(urlBytes.data.equals(image));
    t.equal(vendorBase64Of(urlBytes.data), undefined, 'base64url: encoded again as standard base64');
  },
);

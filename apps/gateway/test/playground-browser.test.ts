import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { startGateway } from './helpers.js';

/**
 * The playground in a real browser: Debian's Chromium driven by playwright-core (.ci/run
 * installs the `chromium` package; playwright never downloads a browser of its own).
 * Screenshots of each state go to the test's output folder.
 */
const executablePath = process.env.UIG_CHROMIUM ?? '/usr/bin/chromium';
const screenshots = join(process.cwd(), '.tap', 'screenshots');
mkdirSync(screenshots, { recursive: true });

async function launch(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  t.teardown(() => browser.close());
  return browser;
}

/** Resolves to the natural size of a decoded <img> matching the selector. */
async function decodedSize(page: Page, selector: string): Promise<{ width: number; height: number }> {
  const image = page.locator(selector).first();
  await image.waitFor();
  await page.waitForFunction(
    (element) => {
      const image = element as unknown as { complete: boolean; naturalWidth: number };
      return image.complete && image.naturalWidth > 0;
    },
    await image.elementHandle(),
  );
  return image.evaluate((element) => {
    const { naturalWidth, naturalHeight } = element as unknown as {
      naturalWidth: number;
      naturalHeight: number;
    };
    return { width: naturalWidth, height: naturalHeight };
  });
}

t.test('generate, gallery, edit with a painted mask, and a bad key — in Chromium', async (t) => {
  const { url, runtime } = await startGateway(t, { UIG_API_KEYS: 'playground-key' }, { listen: true });
  const browser = await launch(t);
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(url);
  t.equal(await page.title(), 'uig playground');

  // The key is asked for, then models load with it.
  await page.getByTestId('key').fill('playground-key');
  await page.getByTestId('key').dispatchEvent('change');
  await page
    .locator('[data-testid="model"] option[value="local/placeholder"]')
    .waitFor({ state: 'attached' });
  await page.getByTestId('model').selectOption('local/placeholder');
  t.match(await page.getByTestId('capabilities').textContent(), /generate, edit, mask/);

  await page.getByTestId('prompt').fill('a lighthouse at dusk');
  await page.getByTestId('size').selectOption('512x512');
  await page.getByTestId('run').click();
  const generated = await decodedSize(page, '[data-testid="results"] img');
  t.same(generated, { width: 512, height: 512 }, 'the generated image is shown, decoded');
  await page.getByTestId('status').filter({ hasText: /^Done/ }).waitFor();
  t.match(await page.getByTestId('status').textContent(), /Done: 1 image\(s\) from local\/placeholder/);
  t.ok(await page.getByTestId('error').isHidden(), 'no error shown');
  await page.screenshot({ path: join(screenshots, '1-generated.png') });

  // The gallery lists it (newest first) with its prompt and model, also after a reload
  // (the listing comes from GET /v1/images).
  await page.reload();
  await page
    .locator('[data-testid="model"] option[value="local/placeholder"]')
    .waitFor({ state: 'attached' });
  const tile = page.locator('[data-testid="gallery"] figure').first();
  await tile.waitFor();
  const firstId = await tile.getAttribute('data-image-id');
  t.ok(firstId, 'the gallery shows the new image');
  t.match(await tile.textContent(), /a lighthouse at dusk/);
  t.match(await tile.textContent(), /local\/placeholder/);
  await decodedSize(page, '[data-testid="gallery"] figure img');
  await page.screenshot({ path: join(screenshots, '2-gallery.png') });

  // Edit it with a mask painted over the left half.
  await tile.getByTestId('edit-button').click();
  await decodedSize(page, '[data-testid="edit-image"]');
  const mask = page.getByTestId('mask');
  const box = (await mask.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.2);
  await page.mouse.down();
  for (let step = 1; step <= 10; step++)
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * (0.2 + step * 0.06));
  await page.mouse.up();
  await page.getByTestId('prompt').fill('add a red boat');
  await page.screenshot({ path: join(screenshots, '3-mask.png') });
  const editAnswer = page.waitForResponse((response) => response.url().endsWith('/v1/images'));
  await page.getByTestId('run').click();
  const sent = (await editAnswer).request().postDataJSON() as { image: string; mask?: string };
  t.equal(sent.image, firstId, 'the edit names the gallery image by id');
  t.match(sent.mask, /^data:image\/png;base64,/, 'the painted mask is sent as a PNG');
  await page.locator('[data-testid="results"] figure').first().waitFor();
  const edited = await decodedSize(page, '[data-testid="results"] figure img');
  t.same(edited, { width: 512, height: 512 }, 'the edit keeps the input size');
  const editedId = await page.locator('[data-testid="results"] figure').first().getAttribute('data-image-id');
  t.not(editedId, firstId, 'the edit is a new image');
  await page.screenshot({ path: join(screenshots, '4-edited.png') });

  // The mask really reached the provider: a masked local edit leaves the unmasked half as it was.
  const before = await runtime.store.read(firstId!);
  const after = await runtime.store.read(editedId!);
  t.ok(before && after && !Buffer.from(before.data).equals(Buffer.from(after.data)), 'the image changed');

  // A wrong key: the page says why.
  await page.getByTestId('key').fill('not-the-key');
  await page.getByTestId('key').dispatchEvent('change');
  await page.getByTestId('error').waitFor({ state: 'visible' });
  t.match(await page.getByTestId('error').textContent(), /401/);
  await page.screenshot({ path: join(screenshots, '5-bad-key.png') });
  t.same(
    consoleErrors.filter((text) => !/401/.test(text)),
    [],
    'no script errors in the page',
  );
});

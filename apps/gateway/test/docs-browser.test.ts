import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startGateway } from './helpers.js';

/**
 * /docs in Debian's Chromium (as the playground test drives it): Swagger UI renders the
 * document from the gateway alone (every other origin is refused and recorded), and
 * "Try it out" sends a real request with the key given under Authorize.
 */
const executablePath = process.env.UIG_CHROMIUM ?? '/usr/bin/chromium';
const screenshots = join(process.cwd(), '.tap', 'screenshots');
mkdirSync(screenshots, { recursive: true });

t.test('Swagger UI at /docs renders offline and "Try it out" calls the API', async (t) => {
  const { url } = await startGateway(t, { UIG_API_KEYS: 'sk-docs' }, { listen: true });
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const elsewhere: string[] = [];
  await page.route('**/*', (route) => {
    if (new URL(route.request().url()).origin === url) return route.continue();
    elsewhere.push(route.request().url());
    return route.abort();
  });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));

  await page.goto(`${url}/docs`);
  const operation = page.locator('#operations-models-listModels');
  await operation.waitFor();
  t.equal(await page.title(), 'uig API');
  t.ok((await page.locator('.opblock').count()) >= 15, 'every operation is listed');

  await page.locator('.btn.authorize').first().click();
  await page.locator('.auth-container input').first().fill('sk-docs');
  await page.locator('.auth-btn-wrapper .authorize').first().click();
  await page.locator('.btn-done').first().click();

  await operation.locator('.opblock-summary').click();
  // Try it out is on from the start: the Execute button is there without clicking it.
  await operation.locator('.execute').click();
  const status = operation.locator('.live-responses-table td.response-col_status:not(.col_header)');
  await status.waitFor();
  t.equal((await status.textContent())?.trim(), '200', 'the request went through with the key');
  t.match(
    await operation.locator('.live-responses-table .microlight').first().textContent(),
    /local\/placeholder/,
  );
  await page.screenshot({ path: join(screenshots, 'docs-try-it-out.png'), fullPage: false });

  t.same(elsewhere, [], 'nothing was asked of another origin');
  t.same(problems, [], 'no script or content-security-policy errors');
});

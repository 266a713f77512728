import t from 'tap';
import { DallEAPIWrapper } from '@langchain/openai';
import { sniffImage } from '@uig/core';
import { startGateway } from './helpers.js';

/**
 * LangChain's `DallEAPIWrapper` (`@langchain/openai`) with only the base URL pointed at
 * the gateway. It always sends `style` (dall-e-3's field, which GPT-image models refuse,
 * as OpenAI does), so it is driven with a model that takes it as a warning: `local`.
 */
t.test("LangChain's DallEAPIWrapper generates through the gateway, as url and as b64_json", async (t) => {
  const { url } = await startGateway(t, {}, { listen: true });
  const common = {
    apiKey: 'unused',
    model: 'local/placeholder',
    size: '1024x1024' as const,
    baseUrl: `${url}/v1`,
  };
  const viaUrl = new DallEAPIWrapper({ ...common, dallEResponseFormat: 'url' });
  const link = (await viaUrl.invoke('a lighthouse at dusk')) as string;
  t.ok(link.startsWith(`${url}/v1/images/`), 'a gateway URL');
  const fetched = await fetch(link);
  t.match(sniffImage(Buffer.from(await fetched.arrayBuffer())), { mimeType: 'image/png', width: 1024 });

  const inline = new DallEAPIWrapper({ ...common, dallEResponseFormat: 'b64_json' });
  const b64 = (await inline.invoke('a lighthouse at dusk')) as string;
  t.match(sniffImage(Buffer.from(b64, 'base64')), { mimeType: 'image/png', width: 1024 });
});

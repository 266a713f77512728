import t from 'tap';
import { ProgressReporter, type ProgressNotification } from '../src/progress-reporter.js';

t.test('progress: start, forwarded events, heartbeats while quiet, nothing after stop', async (t) => {
  const sent: ProgressNotification['params'][] = [];
  const reporter = new ProgressReporter(
    'token-1',
    async (notification) => void sent.push(notification.params),
    40,
  );
  reporter.start('Generating 1 image with openai/gpt-image-1');
  reporter.forward({ type: 'status', message: 'Task RUNNING', progress: 1, total: 4 });
  reporter.forward({ type: 'partial_image', index: 0, b64: 'AAAA', mimeType: 'image/png' });
  // At least two heartbeats (40 ms apart) after the three messages; a busy machine may be late.
  for (const end = Date.now() + 5000; sent.length < 5 && Date.now() < end; )
    await new Promise((resolve) => setTimeout(resolve, 10));
  reporter.stop();
  const count = sent.length;
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(sent.length, count, 'no notification after stop');
  t.ok(count >= 5, `heartbeats while quiet (${count} notifications)`);
  t.same(
    sent.map((params) => params.progress),
    sent.map((_, index) => index + 1),
    'progress increases by one each time',
  );
  t.ok(sent.every((params) => params.progressToken === 'token-1'));
  t.equal(sent[1]!.message, 'Task RUNNING (25%)');
  t.match(sent[2]!.message, /Partial image 1 received/);
  t.notMatch(JSON.stringify(sent), /AAAA/, 'partial image data stays out of notifications');
  t.match(sent.at(-1)!.message, /Partial image 1 received.*\(still working, \d+ s\)$/);
});

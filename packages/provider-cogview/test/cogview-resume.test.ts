import t from 'tap';
import type { ProgressEvent } from '@uig/core';
import { callFor, setup } from './helpers.js';

/**
 * docs/architecture.md, "The resume rule": glm-image is a task vendor, so a job stores its
 * task id as soon as the create call answers and, after a crash, polls that same task
 * instead of creating (and paying for) another.
 */
const glmCall = (overrides = {}) =>
  callFor({ model: 'glm-image', size: { width: 1280, height: 1280 }, ...overrides });

t.test('glm-image reports its task id, and given it back polls that task without a new one', async (t) => {
  const { fake, provider } = await setup(t, { fake: { processingPolls: 2 } });
  const reported: string[] = [];
  await provider.generate(glmCall({ onTaskId: (id: string) => reported.push(id) }));
  const creates = () => fake.callsTo('/api/paas/v4/async/images/generations').length;
  t.equal(creates(), 1);
  const [task] = [...fake.tasks.values()];
  t.same(reported, [task!.id], 'the task id, once');

  const events: ProgressEvent[] = [];
  const resumed = await provider.generate(
    glmCall({ resumeTaskId: task!.id, onProgress: (event: ProgressEvent) => events.push(event) }),
  );
  t.equal(creates(), 1, 'no second task');
  t.equal(resumed.images.length, 1);
  t.same(resumed.metadata, { task_id: task!.id, content_filter: [{ role: 'assistant', level: 3 }] });
  t.match(events[0], { type: 'status', message: /resuming image task/ });
});

export * from './job-record.js';
export * from './job-queue.js';
export * from './job-runner.js';
export * from './job-suspension.js';
export * from './job-ids.js';
export * from './local-job-queue.js';
export * from './job-submission.js';
export * from './redis-job-queue.js';

export * from './credential-pool.js';
export * from './upstream-request.js';
export * from './attempt-signal.js';
export * from './retry.js';
export * from './retry-after.js';
export * from './shared-limit-state.js';

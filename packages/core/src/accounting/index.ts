export * from './usage-ledger.js';
export * from './estimate-cost.js';
export * from './usage-store.js';
export * from './budget-guard.js';
export * from './request-record.js';
export * from './request-tally.js';

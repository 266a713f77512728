export * from './usage-ledger.js';
export * from './estimate-cost.js';
export * from './usage-store.js';
export * from './budget-guard.js';

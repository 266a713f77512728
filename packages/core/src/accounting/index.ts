export * from './usage-ledger.js';
export * from './estimate-cost.js';

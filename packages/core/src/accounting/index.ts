export * from './usage-ledger.js';

export * from './prompt-language.js';
export * from './prompt-instructions.js';
export * from './prompt-chat.js';
export * from './prompt-optimizer.js';
export * from './prompt-optimization-descriptions.js';

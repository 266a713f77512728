export * from './fake-upstream.js';
export * from './test-images.js';
export * from './cogview-fake.js';
export * from './openai-fake.js';
export * from './gemini-fake.js';
export * from './dashscope-fake.js';
export * from './png-fixture.js';
export * from './caught.js';

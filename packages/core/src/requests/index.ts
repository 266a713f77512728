export * from './request-schemas.js';
export * from './image-request.js';
export * from './capability-check.js';

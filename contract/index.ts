export * from './api.js';
export * from './channels.js';
export * from './domain.js';
export * from './photoSets.js';
export * from './result.js';
export * from './schemas.js';

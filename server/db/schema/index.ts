export * from './users.js';
export * from './notifications.js';

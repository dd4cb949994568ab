export * from './users.js';
export * from './notifications.js';
export * from './catalog.js';
export * from './stock.js';

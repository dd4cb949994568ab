export * from './users.js';
export * from './notifications.js';
export * from './catalog.js';
export * from './stock.js';
export * from './orders.js';
export * from './reviews.js';
export * from './cart.js';

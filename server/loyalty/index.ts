export * from './earning.js';
export * from './expiry.js';
export * from './money.js';
export * from './program.js';

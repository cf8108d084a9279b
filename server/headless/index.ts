import { apiKeyModel } from './store.js';
export { API_KEY_SCOPES, hashSecret, parseKey, pepperFrom, type ApiKeyScope } from './api-keys.js';
export { methodNotAllowedRouter, openApiDocument, openApiRouter } from './openapi.js';
export { requestSchema } from './openapi-builders.js';
export { apiKeysRouter, headlessRouter, type HeadlessOptions } from './routes.js';
export { type ApiKey } from './store.js';

/** headless's collections, each declaring its indexes (server/indexes.ts creates them). */
export const headlessCollections = [apiKeyModel];

export { API_KEY_SCOPES, hashSecret, parseKey, pepperFrom, type ApiKeyScope } from './api-keys.js';
export { openApiDocument, openApiRouter, requestSchema } from './openapi.js';
export { apiKeysRouter, headlessRouter, type HeadlessOptions } from './routes.js';
export { apiKeyModel, type ApiKey } from './store.js';

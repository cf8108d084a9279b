// Shopify CLI's build looks for src/index.ts and maps each camelCase export to the kebab-case
// `export` named in shopify.extension.toml.
export { cartLinesDiscountsGenerateRun } from './run.js';

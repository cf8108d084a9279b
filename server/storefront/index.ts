export { extensionsRouter } from './extension-routes.js';
export { publishProgramToStorefront, tryPublishProgram } from './metafield.js';
export { holdRequest, proxyRouter } from './routes.js';
export { shopperView, type ShopperView } from './shopper-view.js';
export { publicProgram, type PublicProgram } from './view.js';

import { outboundModels } from './store.js';
export {
  OUTBOUND_EVENTS,
  FLOW_TRIGGER_HANDLES,
  flowPayload,
  nextAttemptAt,
  signBody,
  signTimed,
  SIGNATURE_TOLERANCE_SECONDS,
  validSignature,
  validTimedSignature,
  type OutboundEvent,
  type OutboundEventType,
} from './events.js';
export { runOutbound, SIGNATURE_HEADER, startOutbound, TIMED_SIGNATURE_HEADER, type OutboundOptions, type OutboundWorker } from './dispatcher.js';
export { endpointUrlProblem, isNonPublicAddress, type AddressPolicy, type ResolveHost } from './address-policy.js';
export { flowRouter } from './flow.js';
export { outboundRequests, outboundRouter } from './routes.js';

/** outbound's collections, each declaring its indexes (server/indexes.ts creates them). */
export const outboundCollections = outboundModels;

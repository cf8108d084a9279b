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
export { outboundRouter } from './routes.js';
export { outboundModels } from './store.js';

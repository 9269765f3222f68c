export type {
  BatchCall,
  Correlator,
  CorrelatorOptions,
  OutgoingMessage,
  RequestOptions,
} from './correlator.js'
export { createCorrelator } from './correlator.js'
export type {
  CancelNotificationOptions,
  Dispatcher,
  DispatcherHooks,
  DispatcherOptions,
  HandleOptions,
  InternalErrorEvent,
  NotificationErrorEvent,
  ResponseEvent,
  UnexpectedResponseEvent,
} from './dispatcher.js'
export { createDispatcher } from './dispatcher.js'
export type { ErrorCodeDefinition, ErrorFactory } from './errors.js'
export {
  defineErrorCodes,
  isJsonRpcError,
  JsonRpcConnectionClosedError,
  JsonRpcError,
  JsonRpcErrorCode,
  JsonRpcTimeoutError,
} from './errors.js'
export type { JsonRpcLimits } from './limits.js'
export { defaultLimits } from './limits.js'
export type { MethodConfig, MethodDefinition, MethodParams } from './method.js'
export { defineMethod } from './method.js'
export type {
  ClockOptions,
  LoggingOptions,
  RequireScopeOptions,
  TimingEvent,
} from './middleware.js'
export { logging, requireScope, timing } from './middleware.js'
export type { InvalidRequestReason, MessageKind, ParseMessageOptions } from './parse.js'
export { encodeMessage, parseMessage } from './parse.js'
export type { MessageTransport, Peer, PeerOptions } from './peer.js'
export { createPeer } from './peer.js'
export type { HandleResult } from './reply.js'
export type {
  IdPolicy,
  JsonRpcErrorObject,
  JsonRpcErrorResponse,
  JsonRpcId,
  JsonRpcMessage,
  JsonRpcNotification,
  JsonRpcParams,
  JsonRpcRequest,
  JsonRpcResponse,
  JsonRpcSuccessResponse,
  Logger,
  MethodCall,
  Middleware,
  ResponseReceiver,
} from './types.js'

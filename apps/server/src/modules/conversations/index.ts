export { createEventHub, type EventHub, type LiveSignal } from './event-hub.ts';
export { createEventLog, type EventLog } from './event-log.ts';
/** The history page query itself, for the query-plan test and bench/history.ts. */
export { historyQuery } from './repo.ts';
export { type ConversationService, createConversationService } from './service.ts';

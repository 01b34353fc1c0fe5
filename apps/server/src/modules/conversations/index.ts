export { createEventHub, type EventHub, type LiveSignal } from './event-hub.ts';
export { createEventLog, type EventLog } from './event-log.ts';
export { conversationsRouter, eventsRouter, messagesRouter, receiptsRouter } from './router.ts';
export { type ConversationService, createConversationService } from './service.ts';

export { type Clock, createManualClock, systemClock } from './clock.ts';

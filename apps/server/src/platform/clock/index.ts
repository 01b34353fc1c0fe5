export {
  type CancelTimer,
  type Clock,
  createManualClock,
  type ManualClock,
  type Scheduler,
  systemClock,
} from './clock.ts';

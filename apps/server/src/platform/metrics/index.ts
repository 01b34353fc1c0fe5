export { type Counter, createMetrics, type Metrics } from './metrics.ts';

export { createSystemService, type ReadinessReport, type SystemService } from './service.ts';

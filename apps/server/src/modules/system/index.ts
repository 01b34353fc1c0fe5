export { systemRouter } from './router.ts';
export { createSystemService, type ReadinessReport, type SystemService } from './service.ts';

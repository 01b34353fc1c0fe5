import { expect, it } from 'bun:test';
import { createMetrics } from './metrics.ts';

it('renders counters in the Prometheus text format, one line per label set, zero until counted', () => {
  const metrics = createMetrics();
  const hits = metrics.counter('cache_lookups_total', 'Cache lookups by outcome.', { cache: 'role', outcome: 'hit' });
  metrics.counter('cache_lookups_total', 'Cache lookups by outcome.', { cache: 'role', outcome: 'miss' });
  const odd = metrics.counter('odd_total', 'Label values are escaped.', { name: 'say "hi"\\' });
  hits.increment();
  hits.increment(2);
  odd.increment();
  expect(metrics.render()).toBe(
    [
      '# HELP cache_lookups_total Cache lookups by outcome.',
      '# TYPE cache_lookups_total counter',
      'cache_lookups_total{cache="role",outcome="hit"} 3',
      'cache_lookups_total{cache="role",outcome="miss"} 0',
      '# HELP odd_total Label values are escaped.',
      '# TYPE odd_total counter',
      'odd_total{name="say \\"hi\\"\\\\"} 1',
      '',
    ].join('\n'),
  );
});

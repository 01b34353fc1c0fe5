/**
 * The whole test suite, as the README and CI run it: every *.test.ts in the
 * repository (server, SDK, web unit and browser tests) against the real
 * PostgreSQL and Redis, with a JUnit report in .ci/reports/junit.xml and a
 * closing `N passed, N failed` line computed from that report.
 *
 * Extra arguments go to `bun test` (e.g. a path filter). Without any, the
 * chaos test (`bun run test:chaos`: two instances behind haproxy through
 * instance, Redis and PostgreSQL faults) runs after the unit suite and
 * counts as one more test; its JSON verdict goes to .ci/reports/chaos.json.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(import.meta.dir, '..');
const reportDir = resolve(root, '.ci/reports');
const report = resolve(reportDir, 'junit.xml');
mkdirSync(reportDir, { recursive: true });
rmSync(report, { force: true });

const run = Bun.spawnSync(
  [
    'bun',
    'test',
    // Browser and multi-process tests boot real servers and browsers.
    '--timeout',
    '90000',
    '--reporter=junit',
    `--reporter-outfile=${report}`,
    ...process.argv.slice(2),
  ],
  { cwd: root, stdout: 'inherit', stderr: 'inherit' },
);

if (!existsSync(report)) {
  console.log('0 passed, 1 failed');
  console.error('bun test wrote no JUnit report');
  process.exit(run.exitCode || 1);
}

// The root <testsuites> element carries the totals for the whole run.
const xml = readFileSync(report, 'utf8');
const rootTag = /<testsuites\b[^>]*>/.exec(xml)?.[0] ?? '';
const count = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(rootTag)?.[1] ?? 0);
const total = count('tests');
const failed = count('failures') + count('errors');
const skipped = count('skipped');
const passed = total - failed - skipped;

const isSuiteFailed = run.exitCode !== 0 || failed > 0 || total === 0;
const suiteFailures = isSuiteFailed && failed === 0 ? 1 : failed;

const isWholeSuite = process.argv.length <= 2;
let chaosPassed = 0;
let chaosFailed = 0;
if (isWholeSuite) {
  const chaos = Bun.spawnSync(['bun', 'bench/chaos/run.ts'], { cwd: root, stdout: 'pipe', stderr: 'inherit' });
  const verdict = chaos.stdout.toString();
  writeFileSync(resolve(reportDir, 'chaos.json'), verdict);
  process.stdout.write(`chaos: ${verdict}`);
  if (chaos.exitCode === 0) chaosPassed = 1;
  else chaosFailed = 1;
}

console.log(
  `${passed + chaosPassed} passed, ${suiteFailures + chaosFailed} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
process.exit(isSuiteFailed ? run.exitCode || 1 : chaosFailed);

/**
 * The house rule for commit messages: a subject of at most 72 characters in
 * the imperative (no trailing period), a blank line, then a body that says
 * why (and the measured figures).
 *
 *   bun scripts/commit-message.ts --file .git/COMMIT_EDITMSG   (the commit-msg hook)
 *   bun scripts/commit-message.ts --since <commit>             (CI: every commit after it)
 *
 * Exits 1 listing what breaks the rule.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** The rule holds from here on (earlier subjects ran to hundreds of characters). */
const RULE_SINCE = 'ea74b7d';
const SUBJECT_MAX = 72;

export function problemsOf(message: string): string[] {
  const lines = message
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .trimEnd()
    .split('\n');
  const [subject = '', separator, ...body] = lines;
  const problems: string[] = [];
  if (subject.length > SUBJECT_MAX) problems.push(`subject is ${subject.length} characters (at most ${SUBJECT_MAX})`);
  if (subject.endsWith('.')) problems.push('subject ends with a period');
  if (/^(Added|Adds|Fixed|Fixes|Updated|Updates|Removed|Removes)\b/.test(subject)) {
    problems.push('subject is not in the imperative ("Add", not "Added" or "Adds")');
  }
  if (separator !== undefined && separator.trim() !== '') problems.push('no blank line after the subject');
  if (body.join('').trim() === '') problems.push('no body saying why');
  return problems;
}

const { values } = parseArgs({ options: { file: { type: 'string' }, since: { type: 'string' } } });
const messages: Array<{ name: string; message: string }> = [];
if (values.file) {
  messages.push({ name: 'this commit', message: readFileSync(values.file, 'utf8') });
} else {
  const range = `${values.since ?? RULE_SINCE}..HEAD`;
  const log = Bun.spawnSync(['git', 'log', '--no-merges', '--format=%h%x00%B%x1e', range]).stdout.toString();
  for (const entry of log.split('\x1e')) {
    const [hash, message] = entry.trim().split('\x00');
    if (hash && message !== undefined) messages.push({ name: hash, message });
  }
}
let failed = false;
for (const { name, message } of messages) {
  const problems = problemsOf(message);
  if (problems.length === 0) continue;
  failed = true;
  console.error(`${name}: ${message.split('\n')[0]}\n  ${problems.join('\n  ')}`);
}
if (!values.file) console.log(`${messages.length} commit messages checked${failed ? ', some break the rule' : ''}`);
process.exit(failed ? 1 : 0);

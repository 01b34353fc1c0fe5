import { is, SQL, sql } from 'drizzle-orm';
import { type Database, toDriverQuery } from '../platform/database/index.ts';

/** A query builder's statement, or raw SQL (such as a repository `Statement`'s query). */
type Explainable = SQL | { getSQL(): SQL };

const textAndParams = (query: Explainable) => toDriverQuery(is(query, SQL) ? query : query.getSQL());

export interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

/** The plan and every node under it, depth first. */
export function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** An SQL literal for EXPLAIN (which takes no bind parameters here). */
function literal(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** The plan in what `explain (format json)` answered. */
function planIn(explained: unknown): PlanNode {
  const [row] = explained as Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
  const plan = row?.['QUERY PLAN'][0]?.Plan;
  if (!plan) throw new Error('no plan');
  return plan;
}

/** How PostgreSQL plans exactly this statement, its parameters inlined. */
export async function planOf(db: Database, query: Explainable): Promise<PlanNode> {
  const { text, params } = textAndParams(query);
  const statement: SQL = sql.raw(
    `explain (format json) ${text.replace(/\$(\d+)/g, (_, n) => literal(params[Number(n) - 1]))}`,
  );
  return planIn(await db.execute(statement));
}

/**
 * How PostgreSQL plans this statement once prepared and run often: the
 * generic plan, made without looking at the parameters, which a prepared
 * statement may switch to after a few runs.
 */
export async function genericPlanOf(db: Database, query: Explainable): Promise<PlanNode> {
  const { text, params } = textAndParams(query);
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await tx.execute(sql.raw(`prepare generic_plan_probe as ${text}`));
    const explained = await tx.execute(
      sql.raw(`explain (format json) execute generic_plan_probe(${params.map(literal).join(', ')})`),
    );
    await tx.execute(sql`deallocate generic_plan_probe`);
    return planIn(explained);
  });
}

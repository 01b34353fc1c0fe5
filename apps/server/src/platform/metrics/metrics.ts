/** A monotonically rising count, e.g. cache hits. */
export interface Counter {
  increment(by?: number): void;
}

interface CounterFamily {
  help: string;
  values: Map<string, number>;
}

/** `{a="x",b="y"}` with Prometheus' escaping, or nothing for no labels. */
function renderLabels(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(
    ([name, value]) => `${name}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`,
  );
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

/**
 * This process's counters, rendered in the Prometheus text format for
 * `GET /metrics`. Counters are per instance: a scraper sums them.
 */
export function createMetrics() {
  const families = new Map<string, CounterFamily>();
  return {
    counter(name: string, help: string, labels: Record<string, string> = {}): Counter {
      let family = families.get(name);
      if (!family) {
        family = { help, values: new Map() };
        families.set(name, family);
      }
      const key = renderLabels(labels);
      const { values } = family;
      values.set(key, values.get(key) ?? 0);
      return { increment: (by = 1) => values.set(key, (values.get(key) ?? 0) + by) };
    },

    render(): string {
      const lines: string[] = [];
      for (const [name, family] of families) {
        lines.push(`# HELP ${name} ${family.help}`, `# TYPE ${name} counter`);
        for (const [labels, value] of family.values) lines.push(`${name}${labels} ${value}`);
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

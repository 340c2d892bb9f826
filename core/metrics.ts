/**
 * Prometheus-style metrics kept in process: counters and latency summaries per stage,
 * cache hit ratios. `render()` gives the text exposition format, which the workers serve
 * on /metrics when `metrics.port` is configured (core/metrics-server.ts).
 */
type Labels = Record<string, string>;

function labelKey(name: string, labels: Labels): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, '_')}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

export class Metrics {
  private readonly counters = new Map<string, number>();
  private readonly gauges = new Map<string, number>();
  private readonly help = new Map<string, string>();

  describe(name: string, help: string): void {
    this.help.set(name, help);
  }

  inc(name: string, labels: Labels = {}, by = 1): void {
    const key = labelKey(name, labels);
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  set(name: string, labels: Labels, value: number): void {
    this.gauges.set(labelKey(name, labels), value);
  }

  get(name: string, labels: Labels = {}): number {
    const key = labelKey(name, labels);
    return this.counters.get(key) ?? this.gauges.get(key) ?? 0;
  }

  /** Records a duration: a `_seconds_sum` and `_seconds_count` pair, as a Prometheus summary. */
  observe(name: string, labels: Labels, seconds: number): void {
    this.inc(`${name}_seconds_sum`, labels, seconds);
    this.inc(`${name}_seconds_count`, labels, 1);
  }

  render(): string {
    const lines: string[] = [];
    const emit = (map: Map<string, number>, type: string) => {
      const seen = new Set<string>();
      for (const [key, value] of [...map].sort(([a], [b]) => a.localeCompare(b))) {
        const name = key.split('{')[0]!;
        if (!seen.has(name)) {
          seen.add(name);
          const help = this.help.get(name);
          if (help) lines.push(`# HELP ${name} ${help}`);
          lines.push(`# TYPE ${name} ${type}`);
        }
        lines.push(`${key} ${value}`);
      }
    };
    emit(this.counters, 'counter');
    emit(this.gauges, 'gauge');
    return lines.join('\n') + '\n';
  }
}

/** The process-wide registry. */
export const metrics = new Metrics();

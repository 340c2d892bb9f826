/**
 * Progress for long work: a bar redrawn in place on a terminal, a plain log line every
 * few seconds otherwise (CI logs, pipes), so both humans and log collectors get it.
 */
export interface ProgressUpdate {
  done: number;
  total: number | null;
  /** What is being counted, e.g. "events" or "bytes". */
  unit: string;
  extra?: string;
}

const fmt = new Intl.NumberFormat('en-US');

function human(n: number, unit: string): string {
  if (unit === 'bytes') {
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  }
  return `${fmt.format(Math.round(n))} ${unit}`;
}

export class Progress {
  private readonly started = performance.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly interactive = Boolean(process.stderr.isTTY) && !process.env.CI,
    private readonly plainEveryMs = 5_000,
  ) {}

  update(u: ProgressUpdate): void {
    const now = performance.now();
    const every = this.interactive ? 100 : this.plainEveryMs;
    if (now - this.lastDraw < every) return;
    this.lastDraw = now;
    this.draw(u, now);
  }

  done(u: ProgressUpdate): void {
    this.draw(u, performance.now());
    if (this.interactive && this.drawn) this.stream.write('\n');
  }

  private draw(u: ProgressUpdate, now: number): void {
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? u.done / seconds : 0;
    const fraction = u.total ? Math.min(1, u.done / u.total) : null;
    const eta = fraction && fraction > 0 && fraction < 1 ? ` ETA ${Math.ceil(seconds / fraction - seconds)}s` : '';
    const counts = `${human(u.done, u.unit)}${u.total ? ` / ${human(u.total, u.unit)}` : ''} (${human(rate, u.unit)}/s)${eta}${u.extra ? `  ${u.extra}` : ''}`;
    if (this.interactive) {
      const width = 28;
      const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      const columns = this.stream.columns ?? 120;
      this.stream.write(`\r${`${this.label} ${bar}${counts}`.slice(0, columns - 1).padEnd(Math.min(columns - 1, 100))}`);
      this.drawn = true;
    } else {
      this.stream.write(`${new Date().toISOString()} ${this.label}: ${fraction === null ? '' : `${(fraction * 100).toFixed(0)}% `}${counts}\n`);
    }
  }
}

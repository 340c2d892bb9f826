/**
 * Collects the lines of one time slice for the three output files and hands them back in
 * time order. Activities emit related events out of order (a DNS answer is written after
 * the query that follows it in code); sorting per slice restores the order an agent or a
 * sensor would write, while memory stays bounded by one slice.
 */

interface Timed {
  readonly ms: number;
  readonly line: string;
}

const byTime = (a: Timed, b: Timed): number => a.ms - b.ms;

export class EventBuffer {
  private win: Timed[] = [];
  private conn: Timed[] = [];
  private dns: Timed[] = [];
  /** Every line ever pushed: the generator's volume budget counts against it. */
  emitted = 0;

  windows(ms: number, line: string): void {
    this.win.push({ ms, line });
    this.emitted++;
  }

  zeekConn(ms: number, line: string): void {
    this.conn.push({ ms, line });
    this.emitted++;
  }

  zeekDns(ms: number, line: string): void {
    this.dns.push({ ms, line });
    this.emitted++;
  }

  /** Events buffered so far (all three files). */
  get size(): number {
    return this.win.length + this.conn.length + this.dns.length;
  }

  /**
   * Lines timed before `untilMs`, sorted, per file, each ending in a newline. Later lines
   * (a beacon a minute on, a logon after a lookup) stay for the next drain.
   */
  drain(untilMs = Infinity): { windows: string; conn: string; dns: string; counts: { windows: number; conn: number; dns: number } } {
    const counts = { windows: 0, conn: 0, dns: 0 };
    const take = (items: Timed[], kind: 'windows' | 'conn' | 'dns'): [string, Timed[]] => {
      if (items.length === 0) return ['', items];
      items.sort(byTime);
      let out = '';
      let i = 0;
      for (; i < items.length; i++) {
        const t = items[i] as Timed;
        if (t.ms >= untilMs) break;
        out += t.line + '\n';
      }
      counts[kind] = i;
      return [out, i === items.length ? [] : items.slice(i)];
    };
    const [windows, win] = take(this.win, 'windows');
    const [conn, cn] = take(this.conn, 'conn');
    const [dns, dn] = take(this.dns, 'dns');
    this.win = win;
    this.conn = cn;
    this.dns = dn;
    return { windows, conn, dns, counts };
  }
}

/**
 * generateEnterprise: writes days of a synthetic enterprise's telemetry in the raw
 * formats real agents produce (NXLog-style Windows JSON lines, Zeek TSV conn/dns logs),
 * optionally with an attack planted on the last day, and returns a manifest of what it
 * wrote and planted.
 *
 * Volume follows the working day: each minute gets a share of `eventsPerDay` in
 * proportion to a night floor plus the fraction of staff at their desks; activities are
 * drawn until the minute's cumulative budget is spent, and lines are sorted and streamed
 * to disk minute by minute. Everything derives from `seed`: same options, same bytes.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { planAttack, type PlantedStep } from './attacks.js';
import { DayFiles } from './day-files.js';
import { buildEnterprise, type NetworkRange, type User } from './enterprise.js';
import { Rng } from './random.js';
import { hostDay, systemActivity } from './system-activity.js';
import { userActivity } from './user-activity.js';
import { World } from './world.js';

export interface GenerateOptions {
  outDir: string;
  /** Days to generate (default 1); the attack, if planted, is on the last. */
  days?: number;
  /** Background events per day over all three files (default 30,000). */
  eventsPerDay?: number;
  /** Hosts including the 9 servers (default 260). */
  hosts?: number;
  /** Staff accounts (default 300). */
  users?: number;
  seed?: number;
  /** Start of the first day (default 2025-03-03T05:00:00Z, local midnight at UTC-5). */
  start?: Date;
  /** Local time zone of the enterprise, minutes east of UTC (default -300). */
  utcOffsetMinutes?: number;
  plantAttackOnLastDay?: boolean;
  /** Write .gz files (default false). */
  gzip?: boolean;
  /** Called as lines are written: events so far, and the expected total. */
  onProgress?: (done: number, total: number) => void;
}

export interface SyntheticDay {
  /** Absolute path of the day's folder (`<outDir>/day-<n>`, n from 1). */
  dir: string;
  /** Local calendar date of the day, YYYY-MM-DD. */
  date: string;
  windowsFile: string;
  zeekDir: string;
  zeekConnFile: string;
  zeekDnsFile: string;
  /** Lines written, Zeek header and footer lines excluded. */
  events: number;
  counts: { windows: number; zeekConn: number; zeekDns: number };
}

export interface SyntheticManifest {
  seed: number;
  start: string;
  utcOffsetMinutes: number;
  domain: { netbios: string; dns: string };
  hosts: number;
  users: number;
  network: readonly NetworkRange[];
  days: SyntheticDay[];
  totalEvents: number;
  planted: PlantedStep[];
}

const DAY_MS = 86_400_000;
const NIGHT_FLOOR = 0.12;

export async function generateEnterprise(opts: GenerateOptions): Promise<SyntheticManifest> {
  const days = Math.max(1, Math.floor(opts.days ?? 1));
  const eventsPerDay = Math.max(0, Math.floor(opts.eventsPerDay ?? 30_000));
  const seed = (opts.seed ?? 1) >>> 0;
  const start = (opts.start ?? new Date('2025-03-03T05:00:00Z')).getTime();
  const utcOffsetMinutes = opts.utcOffsetMinutes ?? -300;
  const plant = opts.plantAttackOnLastDay ?? true;
  const outDir = resolve(opts.outDir);
  const root = new Rng(seed);
  const ent = buildEnterprise(root.fork('enterprise'), { hosts: opts.hosts ?? 260, users: opts.users ?? 300, utcOffsetMinutes });
  const world = new World(ent, root.fork('world'), start);
  const offsetMs = utcOffsetMinutes * 60_000;

  // Share of staff at their desks per local minute: the shape of the working day.
  const presence = new Float64Array(1440);
  for (const u of ent.users) for (let m = u.startMinute; m < Math.min(u.endMinute, 1440); m++) presence[m]! += 1 / ent.users.length;
  const peak = Math.max(...presence, 1e-9);

  const manifest: SyntheticManifest = {
    seed, start: new Date(start).toISOString(), utcOffsetMinutes,
    domain: { netbios: ent.netbiosDomain, dns: ent.dnsDomain }, hosts: ent.hosts.length, users: ent.users.length,
    network: ent.network, days: [], totalEvents: 0, planted: [],
  };
  const expected = days * eventsPerDay;
  let written = 0;
  await mkdir(outDir, { recursive: true });

  for (let d = 0; d < days; d++) {
    const dayStart = start + d * DAY_MS;
    const rng = root.fork(`day:${d}`);
    world.rng = rng;
    for (const rt of world.runtimes) rt.sessions = new Map();
    const localStartMinute = Math.floor((((dayStart + offsetMs) % DAY_MS) + DAY_MS) % DAY_MS / 60_000);

    const weights = new Float64Array(1440);
    let total = 0;
    for (let i = 0; i < 1440; i++) {
      weights[i] = NIGHT_FLOOR + (1 - NIGHT_FLOOR) * (presence[(localStartMinute + i) % 1440]! / peak);
      total += weights[i]!;
    }
    // Every host's daily check-in happens at its own minute of the day.
    const checkIns: number[][] = Array.from({ length: 1440 }, () => []);
    for (const rt of world.runtimes) checkIns[rng.int(1440)]!.push(rt.host.index);

    let scheduled: { ms: number; run: (w: World) => void }[] = [];
    if (plant && d === days - 1) {
      const attack = planAttack(world, root.fork('attack'), d, dayStart);
      manifest.planted.push(...attack.steps);
      scheduled = attack.schedule.sort((a, b) => a.ms - b.ms);
    }

    const files = await DayFiles.open(join(outDir, `day-${d + 1}`), opts.gzip ?? false, dayStart);
    const counts = { windows: 0, zeekConn: 0, zeekDns: 0 };
    const write = async (chunk: ReturnType<World['buffer']['drain']>): Promise<void> => {
      await files.write(chunk);
      counts.windows += chunk.counts.windows;
      counts.zeekConn += chunk.counts.conn;
      counts.zeekDns += chunk.counts.dns;
      written += chunk.counts.windows + chunk.counts.conn + chunk.counts.dns;
    };
    const emittedAtStart = world.buffer.emitted;
    let cumulative = 0;
    for (let i = 0; i < 1440; i++) {
      const t0 = dayStart + i * 60_000;
      for (const h of checkIns[i]!) hostDay(world, world.runtimes[h]!, t0 + rng.int(60_000));
      while (scheduled.length > 0 && scheduled[0]!.ms < t0 + 60_000) scheduled.shift()!.run(world);
      cumulative += (eventsPerDay * weights[i]!) / total;
      const pUser = ((1 - NIGHT_FLOOR) * (presence[(localStartMinute + i) % 1440]! / peak)) / weights[i]!;
      const localMinute = (localStartMinute + i) % 1440;
      while (world.buffer.emitted - emittedAtStart < cumulative) {
        const ms = t0 + rng.int(60_000);
        if (rng.chance(pUser)) {
          const user = pickPresent(rng, ent.users, localMinute);
          if (user) userActivity(world, user, ms);
          else systemActivity(world, ms);
        } else {
          systemActivity(world, ms);
        }
      }
      await write(world.buffer.drain(t0 + 60_000));
      if (opts.onProgress && i % 30 === 29) opts.onProgress(written, expected);
    }
    await write(world.buffer.drain());
    await files.close(dayStart + DAY_MS);
    const localDate = new Date(dayStart + offsetMs + 1).toISOString().slice(0, 10);
    const events = counts.windows + counts.zeekConn + counts.zeekDns;
    manifest.days.push({ ...files.paths, date: localDate, events, counts });
    manifest.totalEvents += events;
  }
  opts.onProgress?.(written, written);
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** A random member of staff at their desk at this local minute, if one is found quickly. */
function pickPresent(rng: Rng, users: readonly User[], minute: number): User | undefined {
  for (let attempt = 0; attempt < 24; attempt++) {
    const u = rng.pick(users);
    if (minute >= u.startMinute && minute < u.endMinute) return u;
  }
  return undefined;
}

#!/usr/bin/env node
/**
 * `nightjar`: the command-line entry point and composition root. Each command lives in
 * cli/commands/; this file dispatches and turns errors into clear messages and exit codes.
 */
import { UsageError } from './args.js';
import { NightjarError } from '../core/errors.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  demo: { summary: 'generate a synthetic enterprise, run the whole loop on it, and show what was flagged', load: async () => (await import('./commands/demo.js')).demoCommand },
  run: { summary: 'process files, folders or stdin through the embedded pipeline into the local lake', load: async () => (await import('./commands/run.js')).runCommand },
  ingest: { summary: 'parse files, folders, stdin or syslog and publish raw events to Kafka', load: async () => (await import('./commands/ingest.js')).ingestCommand },
  stream: { summary: 'run a stream worker in the Kafka consumer group over the raw topics', load: async () => (await import('./commands/stream.js')).streamCommand },
  sink: { summary: 'land events, alerts and dead letters from Kafka as Parquet in the lake and register them in Trino', load: async () => (await import('./commands/sink.js')).sinkCommand },
  intel: { summary: 'threat intel: import STIX/MISP/OTX/CSV feeds into the state store, look values up', load: async () => (await import('./commands/intel.js')).intelCommand },
  pdns: { summary: 'passive DNS: the answers a name got and the names that resolved to an address', load: async () => (await import('./commands/pdns.js')).pdnsCommand },
  baselines: { summary: 'build rarity baselines over the lake with dbt and load them into the state store', load: async () => (await import('./commands/baselines.js')).baselinesCommand },
  sql: { summary: 'run SQL over the lake (tables: events, alerts, dead_letters)', load: async () => (await import('./commands/sql.js')).sqlCommand },
};

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return [
    'nightjar — security event pipeline: parse, normalise, enrich, count, flag the rare, land Parquet, hunt with SQL',
    '',
    'Usage: nightjar <command> [options]',
    '',
    'Commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n]!.summary}`),
    '',
    'Run "nightjar <command> --help" for the options of a command.',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`nightjar: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`nightjar ${name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof NightjarError) {
      process.stderr.write(`nightjar ${name}: error ${err.code}: ${err.message}\n`);
      if (process.env.NIGHTJAR_DEBUG && err.cause) process.stderr.write(`cause: ${String((err.cause as Error).stack ?? err.cause)}\n`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nightjar: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);

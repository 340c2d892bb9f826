/**
 * Argument parsing for every command: node's parseArgs with strict checking, plus the
 * help text that `--help` prints. Unknown options are errors that point at `--help`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RawFormat } from '../schema/types.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export class UsageError extends Error {}

export interface CommandSpec<O extends OptionSpec> {
  name: string;
  summary: string;
  usage: string;
  options: O;
  /** One line per option, shown under "Options". */
  optionHelp: Record<string, string>;
  examples?: string[];
}

export const COMMON_OPTIONS = {
  config: { type: 'string', short: 'c' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

export const COMMON_HELP: Record<string, string> = {
  config: '--config, -c PATH   YAML configuration (see config/nightjar.example.yaml); secrets come from NIGHTJAR_* variables',
  help: '--help, -h          show this help',
};

/** Declares a command; `const` keeps option literals so parsed values get precise types. */
export function defineCommand<const O extends OptionSpec>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

export function helpText<O extends OptionSpec>(spec: CommandSpec<O>): string {
  const lines = [`nightjar ${spec.name} — ${spec.summary}`, '', `Usage: ${spec.usage}`, '', 'Options:'];
  // each help line is "flags  description"; align the descriptions whatever the spacing
  const rows = Object.values({ ...spec.optionHelp, ...COMMON_HELP }).map((text) => {
    const m = /^(\S.*?)\s{2,}(.*)$/.exec(text);
    return m ? [m[1]!, m[2]!] : [text, ''];
  });
  const width = Math.max(...rows.map(([flags]) => flags!.length));
  for (const [flags, description] of rows) lines.push(`  ${flags!.padEnd(width)}  ${description}`.trimEnd());
  if (spec.examples?.length) lines.push('', 'Examples:', ...spec.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

export function parseCommand<const O extends OptionSpec>(spec: CommandSpec<O>, argv: string[]) {
  const options = { ...spec.options, ...COMMON_OPTIONS } as O & typeof COMMON_OPTIONS;
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun "nightjar ${spec.name} --help" for usage.`);
  }
}

export function positiveInt(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${option} expects a positive whole number, got "${value}"`);
  return n;
}

/** The --format values of commands that read inputs: `auto` or one parser. */
export const INPUT_FORMATS = ['auto', 'windows_flat', 'windows_evtx', 'zeek', 'auditd', 'syslog'] as const;
export const INPUT_HELP = {
  input: '--input, -i PATH     a file (.gz read transparently), a folder (recursive) or - for stdin; repeatable',
  format: '--format, -f NAME    parser to use; auto picks one per file or line (default auto)',
};

export function inputFormat(value: unknown): 'auto' | RawFormat {
  if (typeof value === 'string' && (INPUT_FORMATS as readonly string[]).includes(value)) return value as 'auto' | RawFormat;
  throw new UsageError(`--format must be one of ${INPUT_FORMATS.join(', ')}; got "${String(value)}"`);
}

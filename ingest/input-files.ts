/**
 * Expands the inputs of a run into the files to read: files as given, folders walked
 * recursively in sorted order (so runs are repeatable), `-` for stdin. Inside folders,
 * files that are clearly not logs are skipped: hidden files, licences and READMEs,
 * configuration and rule files, databases, archives, binaries. A file named explicitly
 * is always read.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NightjarError } from '../core/errors.js';

export interface InputFile {
  /** The path, or '-' for stdin. */
  path: string;
  /** Size on disk (compressed for .gz); null for stdin. */
  size: number | null;
}

const NOT_LOG_EXTENSIONS = new Set([
  'yml', 'yaml', 'md', 'rst', 'toml', 'ini', 'cfg', 'conf', 'mmdb', 'dat', 'db', 'sqlite', 'parquet', 'avro',
  'zip', '7z', 'tar', 'tgz', 'bz2', 'xz', 'zst', 'rar', 'evtx', 'pcap', 'pcapng', 'exe', 'dll', 'so', 'bin',
  'png', 'jpg', 'jpeg', 'gif', 'svg', 'pdf', 'html', 'css', 'js', 'ts', 'py', 'sh', 'ps1', 'xml', 'csv', 'tsv',
  'lock', 'pem', 'crt', 'key', 'sig', 'asc',
]);
const NOT_LOG_NAMES = /^(license|licence|copying|notice|readme|authors|changelog|contributing)(\.(txt|md|rst))?$/i;

/** Why a file found in a folder is skipped, or null when it should be read. */
export function skipReason(path: string): string | null {
  const name = basename(path);
  if (name.startsWith('.')) return 'hidden file';
  if (NOT_LOG_NAMES.test(name)) return 'documentation or licence';
  const bare = name.replace(/\.gz$/i, '');
  const dot = bare.lastIndexOf('.');
  const ext = dot > 0 ? bare.slice(dot + 1).toLowerCase() : '';
  if (NOT_LOG_EXTENSIONS.has(ext)) return `.${ext} is not a log format`;
  return null;
}

async function walk(dir: string, out: InputFile[], onSkipped?: (path: string, reason: string) => void): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.')) await walk(p, out, onSkipped);
      continue;
    }
    if (!e.isFile()) continue;
    const reason = skipReason(p);
    if (reason) {
      onSkipped?.(p, reason);
      continue;
    }
    out.push({ path: p, size: (await stat(p)).size });
  }
}

/** Resolves inputs to files; a missing or unreadable input is an INPUT_UNREADABLE error. */
export async function expandInputs(inputs: readonly string[], onSkipped?: (path: string, reason: string) => void): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const input of inputs) {
    if (input === '-') {
      files.push({ path: '-', size: null });
      continue;
    }
    let st;
    try {
      st = await stat(input);
    } catch (err) {
      throw new NightjarError('INPUT_UNREADABLE', `input ${input} cannot be read: ${(err as Error).message}`, { cause: err });
    }
    if (st.isDirectory()) await walk(input, files, onSkipped);
    else files.push({ path: input, size: st.size });
  }
  return files;
}

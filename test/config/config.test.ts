import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig, validateConfig } from '../../cli/config/load.js';
import { repoRoot } from '../testdata.js';

describe('configuration', () => {
  it('accepts the committed example, which equals the defaults where it sets values', () => {
    const example = loadConfig(join(repoRoot, 'config/nightjar.example.yaml'), [], {});
    const defaults = validateConfig({}, 'defaults', {});
    expect(example).toEqual(defaults);
    expect(example.detect.learning_window).toBe(86_400_000);
  });

  it('names the field and the expectation for a wrong value', () => {
    expect(() => validateConfig({ detect: { learning_window: 'a day' } }, 'x.yaml', {})).toThrow(
      /detect\.learning_window: expected a duration like 500ms, 30s, 10m, 24h or 7d/,
    );
    expect(() => validateConfig({ pipeline: { batch_size: 0 } }, 'x.yaml', {})).toThrow(/pipeline\.batch_size/);
  });

  it('rejects unknown fields, so typos are not silently ignored', () => {
    expect(() => validateConfig({ pipeline: { batchsize: 10 } }, 'x.yaml', {})).toThrow(/pipeline: unknown field\(s\) "batchsize"/);
  });

  it('takes secrets from the environment and freezes the result', () => {
    const c = validateConfig({}, 'defaults', { NIGHTJAR_S3_SECRET_KEY: 's3cr3t', NIGHTJAR_KAFKA_BROKERS: 'a:1, b:2' });
    expect(c.lake.s3.secret_key).toBe('s3cr3t');
    expect(c.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(validateConfig({}, 'defaults', { NIGHTJAR_METRICS_PORT: '9464' }).metrics.port).toBe(9464);
    expect(() => validateConfig({}, 'defaults', { NIGHTJAR_METRICS_PORT: 'ninety' })).toThrow(/metrics\.port/);
    expect(Object.isFrozen(c.lake.s3)).toBe(true);
  });

  it('applies command-line overrides last', () => {
    const c = validateConfig({ data_dir: '/from/file' }, 'x', { NIGHTJAR_DATA_DIR: '/from/env' }, [{ path: ['data_dir'], value: '/from/cli' }]);
    expect(c.data_dir).toBe('/from/cli');
  });

  it('reports unreadable files and invalid YAML clearly', () => {
    expect(() => loadConfig('/nonexistent/nightjar.yaml', [], {})).toThrow(/cannot read the configuration file \/nonexistent\/nightjar.yaml/);
    const dir = mkdtempSync(join(tmpdir(), 'nj-config-'));
    writeFileSync(join(dir, 'bad.yaml'), 'pipeline: [unclosed');
    expect(() => loadConfig(join(dir, 'bad.yaml'), [], {})).toThrow(/is not valid YAML/);
  });
});

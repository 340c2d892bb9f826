/**
 * Golden files: the normalised common fields of hand-picked real records, one file per
 * format, identified by testdata file and line. Only the common fields are stored (not
 * the `fields` map), so no third-party data is copied into the repository.
 * Regenerate with `UPDATE_GOLDEN=1 npx vitest run --project unit test/golden`, then read
 * the diff by eye before committing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../ingest/read-inputs.js';
import type { NightjarEvent, RawEvent } from '../../schema/types.js';
import { normalise } from '../../stream/normalise/index.js';
import { repoRoot, testdata, testdataRoot } from '../testdata.js';

const SELECTION: Record<string, { file: string; lines: number[]; note: string }[]> = {
  windows_flat: [
    { file: 'windows/empire_mimikatz_logonpasswords_2020-08-07103224.json.gz', lines: [2451], note: 'Sysmon 10: powershell.exe opens lsass.exe' },
    { file: 'windows/cmd_mshta_vbscript_execute_psh_2020-10-2202580804.json.gz', lines: [3, 4, 275], note: 'Security 5156, 4688 mshta, Sysmon 1 mshta' },
    { file: 'windows/empire_launcher_vbs_2020-09-04160940.json.gz', lines: [15, 877, 1252], note: 'Security 4624, PowerShell 400 and 4103' },
    { file: 'windows/cmd_psexec_lsa_secrets_dump_2020-10-1903305471.json.gz', lines: [1, 261, 263, 286], note: 'Security 1102 (TimeCreated only), Sysmon 3 and 22, System 7045 PSEXESVC' },
    { file: 'windows/empire_persistence_registry_modification_run_keys_standard_user_2020-09-04030609.json.gz', lines: [3, 8685], note: 'Sysmon 13, Security 4648' },
  ],
  windows_evtx: [
    { file: 'sigma/regression_data/rules-threat-hunting/windows/image_load/image_load_win_werfaultsecure_dbgcore_dbghelp_load/8a2f4b1c-3d5e-4f7a-9b2c-1e4f6d8a9c2b.json', lines: [1], note: 'Sysmon 7' },
    { file: 'sigma/regression_data/rules/windows/builtin/security/win_security_explicit_credential_local_logon/e3c6d245-7b8f-4e2a-c17f-a9d0e5b38f62.json', lines: [1], note: 'Security 4648' },
    { file: 'sigma/regression_data/rules/windows/builtin/wmi/win_wmi_activity_nteventlogfile_cleareventlog/d4f1a2b3-7c8e-4d5f-b6a9-1e0c2d3f4e5b.json', lines: [1], note: 'WMI-Activity 5858 in UserData' },
  ],
  zeek: [
    { file: 'zeek/lsass_campaign_01/conn.log.gz', lines: [9, 12], note: 'conn TSV' },
    { file: 'zeek/lsass_campaign_01/http.log.gz', lines: [9], note: 'http TSV' },
    { file: 'zeek/lsass_campaign_01/files.log.gz', lines: [9], note: 'files TSV' },
    { file: 'zeek/lsass_campaign_01/smb_mapping.log.gz', lines: [9], note: 'smb_mapping TSV' },
    { file: 'zeek/lsass_campaign_01/weird.log.gz', lines: [9], note: 'weird TSV' },
    { file: 'zeek/brim/dns.log.gz', lines: [9], note: 'dns TSV' },
    { file: 'zeek/brim/rdp.log.gz', lines: [9], note: 'rdp TSV' },
    { file: 'zeek/brim/ssl.log.gz', lines: [9], note: 'ssl TSV' },
    { file: 'zeek/brim-json/dns.json.gz', lines: [1], note: 'dns JSON, same entry as brim/dns.log line 9' },
    { file: 'zeek/brim-json/kerberos.json.gz', lines: [1], note: 'kerberos JSON' },
    { file: 'zeek/brim-json/ntlm.json.gz', lines: [1], note: 'ntlm JSON' },
    { file: 'zeek/brim-json/notice.json.gz', lines: [1], note: 'notice JSON' },
    { file: 'zeek/apt29_day1/NASHUA_conn.log.gz', lines: [2], note: 'conn, shipper JSON (@stream, id_orig_h)' },
    { file: 'zeek/apt29_day1/NASHUA_x509.log.gz', lines: [1], note: 'x509, shipper JSON' },
  ],
  auditd: [
    { file: 'linux/syslog_auoms_auditd_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json.gz', lines: [1, 20], note: 'AUOMS_EXECVE in syslog JSON' },
  ],
};

/** The common fields, readable: `fields` left out, the origin made relative, the time also as ISO. */
function golden(e: NightjarEvent): Record<string, unknown> {
  const { fields: _fields, origin, ...common } = e;
  return { ts_iso: new Date(e.ts).toISOString(), ...common, origin: relative(testdataRoot, origin) };
}

async function pick(file: string, lines: number[]): Promise<RawEvent[]> {
  const want = new Set(lines);
  const last = Math.max(...lines);
  const out: RawEvent[] = [];
  outer: for await (const b of readInputs([testdata(file)], { format: 'auto', maxEventBytes: 1 << 20, batchSize: 500 })) {
    for (const e of b.events) {
      if (want.has(e.origin_offset)) out.push(e);
      if (e.origin_offset >= last) break outer;
    }
  }
  return out;
}

describe('golden files of normalised common fields', () => {
  for (const [format, selection] of Object.entries(SELECTION)) {
    it(format, async () => {
      const records: Record<string, unknown>[] = [];
      for (const { file, lines, note } of selection) {
        const raws = await pick(file, lines);
        expect(raws.map((r) => r.origin_offset)).toEqual(lines);
        for (const r of raws) {
          expect(r.format).toBe(format);
          records.push({ note, ...golden(normalise(r)) });
        }
      }
      const path = join(repoRoot, 'test/golden', `${format}.json`);
      const text = `${JSON.stringify(records, null, 2)}\n`;
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
        writeFileSync(path, text);
        if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`golden file ${path} was missing and has been written: review it and rerun`);
      }
      expect(JSON.parse(text)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    }, 120_000);
  }
});

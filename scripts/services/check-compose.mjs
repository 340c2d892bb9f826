// Structural check of docker-compose.yml for machines whose docker client has no
// `compose` (CI): it must parse, hold the whole scale-out stack, and reference only
// services, volumes and files that exist. Exits non-zero with one line per problem.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.join(repoRoot, process.argv[2] ?? 'docker-compose.yml');
const problems = [];
const fail = (msg) => problems.push(msg);

let doc;
try {
  // merge: true resolves the `<<: *anchor` keys compose supports.
  doc = parse(readFileSync(file, 'utf8'), { merge: true, strict: true, uniqueKeys: true });
} catch (err) {
  console.error(`${file}: does not parse: ${err.message}`);
  process.exit(1);
}

const services = doc?.services ?? {};
const volumes = doc?.volumes ?? {};
const required = ['kafka', 'redis', 'minio', 'metastore-db', 'hive-metastore', 'trino', 'nightjar-stream', 'nightjar-sink'];
for (const name of required) if (!(name in services)) fail(`services.${name} is missing`);

for (const [name, svc] of Object.entries(services)) {
  const at = `services.${name}`;
  if (typeof svc !== 'object' || svc === null) { fail(`${at} is not a mapping`); continue; }
  if (!svc.image && !svc.build) fail(`${at} has neither image nor build`);
  const deps = Array.isArray(svc.depends_on) ? svc.depends_on : Object.keys(svc.depends_on ?? {});
  for (const dep of deps) if (!(dep in services)) fail(`${at}.depends_on names unknown service ${dep}`);
  for (const port of svc.ports ?? []) {
    if (!/^(\d+:)?\d+(\/(tcp|udp))?$/.test(String(port))) fail(`${at}.ports has malformed entry ${port}`);
  }
  for (const vol of svc.volumes ?? []) {
    const source = String(vol).split(':')[0];
    if (source.startsWith('.') || source.startsWith('/')) {
      if (source.startsWith('.') && !existsSync(path.resolve(repoRoot, source))) fail(`${at}.volumes mounts missing file ${source}`);
    } else if (!(source in volumes)) {
      fail(`${at}.volumes uses undeclared volume ${source}`);
    }
  }
  if (svc.build) {
    const dockerfile = path.resolve(repoRoot, svc.build.context ?? '.', svc.build.dockerfile ?? 'Dockerfile');
    if (!existsSync(dockerfile)) fail(`${at}.build names missing ${path.relative(repoRoot, dockerfile)}`);
  }
  if (svc.environment && typeof svc.environment !== 'object') fail(`${at}.environment is not a mapping or list`);
}

const replicas = services['nightjar-stream']?.deploy?.replicas;
if (!Number.isInteger(replicas) || replicas < 2) fail('services.nightjar-stream.deploy.replicas must be an integer >= 2');
const kafkaRoles = services.kafka?.environment?.KAFKA_PROCESS_ROLES ?? '';
if (!kafkaRoles.includes('controller')) fail('services.kafka must run KRaft (KAFKA_PROCESS_ROLES with controller)');

if (problems.length > 0) {
  for (const p of problems) console.error(`${path.basename(file)}: ${p}`);
  process.exit(1);
}
console.log(`${path.basename(file)}: ${Object.keys(services).length} services, structure ok`);

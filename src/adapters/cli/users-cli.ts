// npm run users -- create --name "Ann Lee" --email ann@example.com --sip sip:ann@example.com --region US [--extension 4711]
//                  [--role admin] [--password ...] [--work ...] [--mobile ...] [--home ...] [--other ...]
// npm run users -- import users.csv | users.json
// npm run users -- list
// npm run users -- unlock-pin <user id>
// Talks to the running parley's API with API_TOKEN (PARLEY_URL, or HOST and PORT, say where it runs).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadCliConfig } from '../../config.js';

interface Problem {
  row?: number;
  field: string;
  code: string;
  message: string;
}

const USAGE = 'usage: users create --name N --email E --sip S --region R [options] | users import FILE | users list | users unlock-pin ID';

async function main(argv: string[]): Promise<number> {
  const { url, apiToken } = loadCliConfig();
  const [command, ...rest] = argv;
  const call = async (method: string, path: string, body?: string, type = 'application/json') => {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> & { error?: { message: string; problems?: Problem[] } } };
  };
  const fail = (json: { error?: { message: string; problems?: Problem[] } }) => {
    console.error(`error: ${json.error?.message ?? 'unexpected answer'}`);
    for (const p of json.error?.problems ?? []) console.error(`  ${p.row === undefined ? '' : `row ${p.row}, `}${p.field}: ${p.message} (${p.code})`);
    return 1;
  };

  if (command === 'create') {
    const { values } = parseArgs({
      args: rest,
      options: Object.fromEntries(
        ['name', 'email', 'sip', 'region', 'extension', 'role', 'password', 'work', 'mobile', 'home', 'other'].map((o) => [o, { type: 'string' }]),
      ),
    });
    const phones = Object.fromEntries(['work', 'mobile', 'home', 'other'].flatMap((k) => (values[k] ? [[k, values[k]]] : [])));
    const body = {
      displayName: values.name,
      email: values.email,
      sipUri: values.sip,
      region: values.region,
      ...(values.extension ? { extension: values.extension } : {}),
      ...(values.role ? { role: values.role } : {}),
      ...(values.password ? { password: values.password } : {}),
      phones,
    };
    const { status, json } = await call('POST', '/api/v1/users', JSON.stringify(body));
    if (status !== 201) return fail(json);
    console.log(`created ${json.email} (${json.id}), personal conference ID ${json.assignedConferenceId}`);
    return 0;
  }
  if (command === 'import' && rest[0]) {
    const text = readFileSync(rest[0], 'utf8');
    const csv = rest[0].toLowerCase().endsWith('.csv');
    const { status, json } = await call('POST', '/api/v1/users/import', text, csv ? 'text/csv' : 'application/json');
    if (status !== 201) return fail(json);
    console.log(`imported ${json.imported} users`);
    return 0;
  }
  if (command === 'list') {
    const { status, json } = await call('GET', '/api/v1/users?limit=500');
    if (status !== 200) return fail(json);
    for (const u of json as unknown as Array<Record<string, string>>) console.log(`${u.assignedConferenceId}  ${u.email}  ${u.displayName}`);
    return 0;
  }
  if (command === 'unlock-pin' && rest[0]) {
    const { status, json } = await call('POST', `/api/v1/users/${encodeURIComponent(rest[0])}/pin/unlock`);
    if (status !== 200) return fail(json);
    console.log(`unlocked the PIN of ${json.email} (${json.id})`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `error: ${(error as Error).message}`);
    process.exit(1);
  },
);

// npm run users -- create --name "Ann Lee" --email ann@example.com --sip sip:ann@example.com --region US [--extension 4711]
//                  [--role admin] [--password ...] [--work ...] [--mobile ...] [--home ...] [--other ...]
// npm run users -- import users.csv | users.json
// npm run users -- list
// npm run users -- unlock-pin <user id>
// npm run users -- access-numbers
// npm run users -- add-access-number <number> <display> <region> <primary language> [secondary languages...]
// npm run users -- set-languages <number> <primary language> [secondary languages...]
// npm run users -- remove-access-number <number>
// Talks to the running parley's API with API_TOKEN (PARLEY_URL, or HOST and PORT, say where it runs).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadCliConfig } from '../../config.js';
import { isLocale, LOCALES, MAX_SECONDARY_LANGUAGES } from '../../domain/locales.js';

interface Problem {
  row?: number;
  field: string;
  code: string;
  message: string;
}

type Answer = { status: number; json: Record<string, unknown> & { error?: { message: string; problems?: Problem[] } } };
type Api = (method: string, path: string, body?: string, type?: string) => Promise<Answer>;

const ACCESS_NUMBER_USAGE: Record<string, { args: number; usage: string }> = {
  'add-access-number': { args: 4, usage: 'users add-access-number NUMBER DISPLAY REGION PRIMARY [SECONDARY...]   e.g. 442071230000 "+44 20 7123 0000" EMEA en-GB fr-FR' },
  'set-languages': { args: 2, usage: 'users set-languages NUMBER PRIMARY [SECONDARY...]   e.g. 14255550100 en-US es-MX' },
  'remove-access-number': { args: 1, usage: 'users remove-access-number NUMBER' },
};

const USAGE = [
  'usage: users create --name N --email E --sip S --region R [options] | users import FILE | users list | users unlock-pin ID',
  '       users access-numbers',
  ...Object.values(ACCESS_NUMBER_USAGE).map(({ usage }) => `       ${usage}`),
].join('\n');

function fail(json: Answer['json']): number {
  console.error(`error: ${json.error?.message ?? 'unexpected answer'}`);
  for (const p of json.error?.problems ?? []) console.error(`  ${p.row === undefined ? '' : `row ${p.row}, `}${p.field}: ${p.message} (${p.code})`);
  return 1;
}

const spoken = (languages: readonly string[]) => `${languages[0]}${languages.length > 1 ? ` + ${languages.slice(1).join(', ')}` : ''}`;

/** The API names a bad language only as "must be equal to constant": say which and what would do. */
function languageProblem(languages: readonly string[]): string | undefined {
  const unknown = languages.filter((l) => !isLocale(l));
  if (unknown.length > 0) return `unknown language ${unknown.join(', ')}; use one of ${LOCALES.join(', ')}`;
  if (languages.length - 1 > MAX_SECONDARY_LANGUAGES) return `at most ${MAX_SECONDARY_LANGUAGES} secondary languages`;
  return undefined;
}

/** The access-number commands; undefined when the command is none of them. */
async function accessNumbers(command: string | undefined, args: string[], api: Api): Promise<number | undefined> {
  if (command === 'access-numbers') {
    const { status, json } = await api('GET', '/api/v1/access-numbers');
    if (status !== 200) return fail(json);
    for (const n of json as unknown as Array<{ number: string; display: string; region: string; languages: string[] }>) {
      console.log(`${n.number}  ${n.region}  ${n.display}  ${spoken(n.languages)}`);
    }
    return 0;
  }
  if (command === undefined || !Object.hasOwn(ACCESS_NUMBER_USAGE, command)) return undefined;
  const shape = ACCESS_NUMBER_USAGE[command]!;
  if (args.length < shape.args || (command === 'remove-access-number' && args.length > 1)) {
    console.error(`usage: ${shape.usage}`);
    return 2;
  }
  const [number, ...more] = args as [string, ...string[]];
  const path = `/api/v1/access-numbers/${encodeURIComponent(number)}`;
  if (command === 'remove-access-number') {
    const { status, json } = await api('DELETE', path);
    if (status !== 204) return fail(json);
    console.log(`removed ${number}`);
    return 0;
  }
  const adding = command === 'add-access-number';
  const languages = adding ? more.slice(2) : more;
  const problem = languageProblem(languages);
  if (problem) {
    console.error(`error: ${problem}`);
    return 1;
  }
  const [primaryLanguage, ...secondaryLanguages] = languages;
  const { status, json } = adding
    ? await api('POST', '/api/v1/access-numbers', JSON.stringify({ number, display: more[0], region: more[1], primaryLanguage, secondaryLanguages }))
    : await api('PATCH', path, JSON.stringify({ primaryLanguage, secondaryLanguages }));
  if (status !== 200 && status !== 201) return fail(json);
  const languagesNow = spoken(json.languages as string[]);
  console.log(status === 201 ? `added ${number} (${json.display}, ${json.region}): ${languagesNow}` : `${number} now answers in ${languagesNow}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const { url, apiToken } = loadCliConfig();
  const [command, ...rest] = argv;
  const call: Api = async (method, path, body, type = 'application/json') => {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${apiToken}`, ...(body === undefined ? {} : { 'content-type': type }) },
      body,
    });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : {}) as Answer['json'] };
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
  const done = await accessNumbers(command, rest, call);
  if (done !== undefined) return done;
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

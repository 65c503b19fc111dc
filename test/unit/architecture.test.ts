import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const depcruise = (cwd: string) =>
  spawnSync(`${root}/node_modules/.bin/depcruise`, ['src', '--config', `${root}/.dependency-cruiser.cjs`, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });

// `npm run lint` (the first step of `npm test`) applies these rules to parley's own src/; this proves they bite.
describe('the import-boundary check', () => {
  it('fails when domain imports outside itself, conferences import call flows, prompts import more than domain and ports, or anything but the ARI adapter imports ari-client', () => {
    const result = depcruise(`${root}/test/fixtures/boundaries`);
    const report = result.stdout + result.stderr;
    expect(result.status).not.toBe(0);
    expect(report).toMatch(/domain-is-pure: src\/domain\/reads-files\.ts → (node:)?fs/);
    expect(report).toMatch(/domain-is-pure: src\/domain\/uses-a-port\.ts → src\/calls\/thing\.ts/);
    expect(report).toMatch(/only-the-ari-adapter-imports-ari-client: src\/calls\/thing\.ts/);
    expect(report).toMatch(/conferences-do-not-import-call-flows: src\/conferences\/plays-a-call-prompt\.ts → src\/calls\/thing\.ts/);
    expect(report).toMatch(/prompts-depend-on-domain-and-ports-only: src\/prompts\/knows-a-conference\.ts → src\/conferences\/plays-a-call-prompt\.ts/);
    expect(report).not.toMatch(/src\/adapters\/ari\/allowed\.ts/);
    expect(report).not.toMatch(/src\/prompts\/allowed\.ts/);
  });
});

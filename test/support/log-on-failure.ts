// An end-to-end test that fails under load on CI is rarely run again by hand with SHOW_PARLEY_LOG:
// what each parley of the file was doing goes with the failure, in full to a file and its last lines
// to the output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeEach } from 'vitest';
import { logTail, startedParleys } from './parley-process.js';

const DIR = '/tmp/parley-test-logs';
const TAIL_LINES = 40;

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(() => {
    mkdirSync(DIR, { recursive: true });
    const name = `${basename(task.file?.name ?? 'test', '.test.ts')}--${task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`;
    [...startedParleys].forEach((parley, index) => {
      const path = join(DIR, `${name}-${index}.log`);
      writeFileSync(path, parley.output());
      console.log(`parley log of the failed test "${task.name}" (in full: ${path}), last lines:\n${logTail(parley.output(), TAIL_LINES)}`);
    });
  });
});

import { createReadStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { UnsafeRecordingName, type RecordingFiles } from '../../ports/recordings.js';

// Letters, digits, '.', '_' and '-' only: no '/', no '\', no NUL, nothing a shell or a path would read
// specially; and no '..' anywhere.
const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;
const SAFE_FORMAT = /^[a-z0-9]{1,10}$/;

function isSafeRecordingName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..');
}

/** Asterisk's stored recordings, as files in its recording directory on this host. */
export function asteriskRecordingFiles(dir: string): RecordingFiles {
  return {
    async open(name, format = 'wav') {
      if (!isSafeRecordingName(name) || !SAFE_FORMAT.test(format)) throw new UnsafeRecordingName(name);
      const file = join(dir, `${name}.${format}`);
      const found = await stat(file).catch(() => undefined);
      return found?.isFile() ? createReadStream(file) : undefined;
    },
    async size(name, format = 'wav') {
      if (!isSafeRecordingName(name) || !SAFE_FORMAT.test(format)) throw new UnsafeRecordingName(name);
      const found = await stat(join(dir, `${name}.${format}`)).catch(() => undefined);
      return found?.isFile() ? found.size : undefined;
    },
    async remove(name, format = 'wav') {
      if (!isSafeRecordingName(name) || !SAFE_FORMAT.test(format)) throw new UnsafeRecordingName(name);
      try {
        await unlink(join(dir, `${name}.${format}`));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        // A missing directory is a wrong ASTERISK_RECORDING_DIR, not a file already gone: saying "gone"
        // would mark recordings purged while their files stay wherever Asterisk really keeps them.
        const directory = await stat(dir).catch(() => undefined);
        if (!directory?.isDirectory()) throw new Error(`the recording directory ${dir} does not exist (ASTERISK_RECORDING_DIR)`, { cause: error });
        return false;
      }
    },
  };
}

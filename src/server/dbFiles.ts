// The database file on disk. It holds token hashes and every SLO, so a new one is made readable by
// its owner only: the file 0600 and the folders made for it 0700. SQLite gives its -wal and -shm
// files the database file's mode. Files made before keep their mode (chmod 600 them).

import { closeSync, existsSync, mkdirSync, openSync } from 'fs';
import { dirname, resolve } from 'path';

export class DbMissingError extends Error {}

/** A path SQLite treats as a file on disk (not `:memory:`, a temporary database or a URI). */
function onDisk(path: string): boolean {
  return path !== '' && path !== ':memory:' && !path.startsWith('file:');
}

/**
 * Makes sure the database file exists with owner-only permissions, creating it (and its folder)
 * unless `create` is false, in which case a missing file is an error naming the path: a mistyped
 * path must not quietly start an empty database.
 */
export function prepareDbFile(path: string, { create = true }: { create?: boolean } = {}): void {
  if (!onDisk(path) || existsSync(path)) {
    return;
  }
  if (!create) {
    throw new DbMissingError(`no database at ${resolve(path)}`);
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (e) {
    // Another process (a second server on this file) made it first.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw e;
    }
  }
}

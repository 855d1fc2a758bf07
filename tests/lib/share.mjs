// share.mjs - a private copy of templates/, static/ and locale/ that a test may change.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server.mjs';

// Returns the path of a new folder holding copies of the site's share files.
export function copyShare() {
  const dir = mkdtempSync(join(tmpdir(), 'coexist-share-'));
  for (const d of ['templates', 'static', 'locale', 'data']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  return dir;
}

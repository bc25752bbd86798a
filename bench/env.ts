/**
 * Imported first by bench/main.ts, before anything loads n8n-core: n8n-core must never touch the
 * real ~/.n8n. A fresh temporary N8N_USER_FOLDER per run, removed on exit; test/harness/setup-env.ts
 * (imported right after) keeps it and sets the rest of the test environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-darktrace-bench-'));
process.env.N8N_USER_FOLDER = userFolder;
process.on('exit', () => rmSync(userFolder, { recursive: true, force: true }));

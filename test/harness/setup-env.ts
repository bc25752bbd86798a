// Runs before every test file (jest setupFiles): n8n-core must never touch the real ~/.n8n.
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

if (!process.env.N8N_USER_FOLDER || !process.env.N8N_USER_FOLDER.startsWith(tmpdir())) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-darktrace-test-'));
}
process.env.N8N_ENCRYPTION_KEY = process.env.N8N_ENCRYPTION_KEY ?? 'darktrace-test-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
// The project's own tests run the simulator strict: requests an appliance would accept but a clean
// client must not send (unknown parameters, True for true, ...) fail with 400, logged as "lint".
process.env.DARKTRACE_SIMULATOR_STRICT = process.env.DARKTRACE_SIMULATOR_STRICT ?? '1';

/**
 * The Python client's cached get against a floor of a dict lookup + str.format of the
 * same text, ratio printed. Starts a real forge with the demo repo, then runs
 * bench/sdk_python.py with Debian's python3 (PROMPTFORGE_PYTHON overrides).
 * Run: npm run build && node --import tsx bench/sdk-python.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ForgeProcess, makeDemoRepo } from '../test/sdk/helpers/forgeProcess';

const root = resolve(__dirname, '..');
const python = process.env.PROMPTFORGE_PYTHON ?? '/usr/bin/python3';

async function main(): Promise<void> {
  if (!existsSync(python)) throw new Error(`${python} is missing (set PROMPTFORGE_PYTHON)`);
  const forge = await ForgeProcess.start({ demo: makeDemoRepo() });
  try {
    const run = spawnSync(python, [join(root, 'bench', 'sdk_python.py'), forge.url], {
      stdio: 'inherit',
      env: { ...process.env, PYTHONPATH: join(root, 'clients', 'python', 'src'), PYTHONDONTWRITEBYTECODE: '1' },
    });
    if (run.status !== 0) throw new Error(`bench/sdk_python.py failed (exit ${run.status ?? run.signal})`);
  } finally {
    await forge.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

// Child processes for the e2e suite: started in their own process group so that
// stopping one also stops what it spawned, and awaited on their output, not on time.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Started {
  child: ChildProcess;
  /** The regex match on the line that said the process is ready. */
  ready: RegExpMatchArray;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `cmd` and resolves once a line of its output matches `readyLine`. */
export function startProcess(cmd: string, args: string[], readyLine: RegExp, options: SpawnOptions & { timeoutMs?: number } = {}): Promise<Started> {
  const child = spawn(cmd, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        resolve();
      }
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${cmd} ${args.join(' ')} did not print ${readyLine} within ${options.timeoutMs ?? 60_000} ms:\n${log}`));
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = log.match(readyLine);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
        child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
        resolve({ child, ready: match, output: () => log, stop });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} ${args.join(' ')} exited (${code ?? signal}) before it was ready:\n${log}`));
    });
  });
}

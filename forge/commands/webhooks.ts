import type { Delivery } from '../webhooks/outbox';
import { UsageError, arity, type Command } from './command';
import { callForge, openTarget, targetOptions } from './target';

export const webhooksCommand: Command = {
  name: 'webhooks',
  summary: 'list webhook deliveries and their attempts',
  usage: 'promptforge webhooks list --url URL [--key KEY]',
  help: `Lists the forge's recent webhook deliveries, newest first, with every attempt
(status or error, time taken). Needs an admin key when the forge has keys.

  --url URL                 the forge
  --key KEY                 API key (default: $PROMPTFORGE_API_KEY)`,
  options: { url: targetOptions.url, key: targetOptions.key },
  async run(values, positionals) {
    const [action] = arity(positionals, ['list']);
    if (action !== 'list') throw new UsageError(`the only action is list, not "${action}"`);
    const target = await openTarget(values);
    if (target.kind !== 'remote') throw new UsageError('pass --url URL of the forge whose deliveries to list');
    const { deliveries } = (await callForge(target, 'GET', '/api/v1/webhooks/deliveries')) as { deliveries: Delivery[] };
    if (deliveries.length === 0) process.stdout.write('no webhook deliveries yet\n');
    for (const d of deliveries) {
      process.stdout.write(`${d.createdAt}  ${d.status.padEnd(9)}  ${d.type.padEnd(16)}  ${d.url}  ${d.id}\n`);
      for (const a of d.attempts) process.stdout.write(`    ${a.at}  ${a.status ?? '---'}  ${Math.round(a.ms)} ms${a.error ? `  ${a.error}` : ''}\n`);
      if (d.nextAttemptAt) process.stdout.write(`    next attempt ${d.nextAttemptAt}\n`);
    }
    return 0;
  },
};

import type { PromotionRequest } from '../governance/requests';
import { UsageError, arity, str, type Command } from './command';
import { callForge, openTarget, remoteRepo, targetHelp, targetOptions } from './target';

const ACTIONS = ['create', 'list', 'approve', 'reject', 'apply'] as const;

export const requestCommand: Command = {
  name: 'request',
  summary: 'promotion requests for protected labels: create, list, approve, reject, apply',
  usage: 'promptforge request create ID LABEL VERSION [--note TEXT] | list ID LABEL | approve|reject|apply ID LABEL RID --url URL --repo NAME',
  help: `Works on a running forge (--url), where keys name who asked and who approved.
  create ID LABEL VERSION   ask to move LABEL to VERSION (prints the request id)
  list ID LABEL             the label's requests and their state
  approve ID LABEL RID      approve (needs the approve role; never your own request)
  reject ID LABEL RID       reject; the request is closed
  apply ID LABEL RID        move the label, once the label's policy is met

  --note TEXT               why (create, approve, reject)
${targetHelp}`,
  options: { ...targetOptions, note: { type: 'string' } },
  async run(values, positionals) {
    const [action, ...rest] = positionals;
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number])) throw new UsageError(`the first argument must be one of ${ACTIONS.join(', ')}${action ? `, not "${action}"` : ''}`);
    const target = await openTarget(values);
    if (target.kind !== 'remote') throw new UsageError('promotion requests need a running forge: pass --url URL --repo NAME');
    const note = str(values, 'note');
    const base = (id: string, label: string) => `/api/v1/repos/${remoteRepo(target)}/prompts/${encodeURIComponent(id)}/labels/${encodeURIComponent(label)}/requests`;
    const show = (r: PromotionRequest) =>
      `${r.rid}  ${r.status.padEnd(8)}  ${r.id}/${r.label} → ${r.sha.slice(0, 12)} (${r.version})  by ${r.requested.by}${r.approvals.length ? `, approved by ${r.approvals.map((a) => a.by).join(', ')}` : ''}\n`;
    if (action === 'create') {
      const [id, label, version] = arity(rest, ['ID', 'LABEL', 'VERSION']);
      const r = (await callForge(target, 'POST', base(id, label), { version, ...(note ? { note } : {}) })) as PromotionRequest;
      process.stdout.write(show(r));
    } else if (action === 'list') {
      const [id, label] = arity(rest, ['ID', 'LABEL']);
      const { requests } = (await callForge(target, 'GET', base(id, label))) as { requests: PromotionRequest[] };
      process.stdout.write(requests.length ? requests.map(show).join('') : `no promotion requests for ${id}/${label}\n`);
    } else {
      const [id, label, rid] = arity(rest, ['ID', 'LABEL', 'RID']);
      const r = (await callForge(target, 'POST', `${base(id, label)}/${encodeURIComponent(rid)}/${action}`, note ? { note } : {})) as PromotionRequest;
      process.stdout.write(show(r));
    }
    return 0;
  },
};

/** A unified diff as inline lines or side-by-side rows (text only; lit escapes it). */
import { html } from 'lit-html';

type Line = { kind: 'add' | 'del' | 'ctx' | 'hunk'; text: string };

export function diffLines(patch: string): Line[] {
  return patch
    .split('\n')
    .filter((l) => !l.startsWith('--- ') && !l.startsWith('+++ ') && !l.startsWith('\\ '))
    .map((l) => (l.startsWith('@@') ? { kind: 'hunk', text: l } : l.startsWith('+') ? { kind: 'add', text: l.slice(1) } : l.startsWith('-') ? { kind: 'del', text: l.slice(1) } : { kind: 'ctx', text: l.slice(1) }));
}

export function inlineDiff(patch: string) {
  const mark = { add: '+', del: '−', ctx: ' ', hunk: '' };
  return html`<pre class="diff inline" tabindex="0" aria-label="Changes, inline">${diffLines(patch).map((l) => html`<span class=${l.kind}>${mark[l.kind]}${l.text}\n</span>`)}</pre>`;
}

/** Deleted and added runs side by side; unchanged lines on both sides. */
export function sideBySide(patch: string) {
  const rows: { left?: Line; right?: Line }[] = [];
  let dels: Line[] = [];
  let adds: Line[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(dels.length, adds.length); i++) rows.push({ left: dels[i], right: adds[i] });
    dels = [];
    adds = [];
  };
  for (const l of diffLines(patch)) {
    if (l.kind === 'del') dels.push(l);
    else if (l.kind === 'add') adds.push(l);
    else {
      flush();
      rows.push({ left: l, right: l });
    }
  }
  flush();
  const cell = (l?: Line) => html`<td class=${l?.kind ?? 'empty'}>${l?.text ?? ''}</td>`;
  return html`<table class="diff sbs"><thead><tr><th scope="col">From</th><th scope="col">To</th></tr></thead><tbody>${rows.map((r) => html`<tr>${cell(r.left)}${cell(r.right)}</tr>`)}</tbody></table>`;
}

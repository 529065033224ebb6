// Render & Test webview. It only draws: rendering, LLM calls and usage all happen
// in the extension host, which answers the messages posted from here.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  /** @type {{ title: string, uri: string, versions: {spec: string, label: string, detail: string}[], params: Record<string, any>, values: Record<string, unknown>, version: string, compare?: string, llm: {enabled: boolean, reason?: string} } | undefined} */
  let model;
  let renderSeq = 0;
  /** What the user chose. Kept here rather than read back from the elements, which take their options asynchronously. */
  let form = { values: /** @type {Record<string, unknown>} */ ({}), versions: ['', ''], compare: false };
  const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'class') node.className = String(v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    node.append(...children.filter((c) => c !== undefined));
    return node;
  };

  window.addEventListener('message', (event) => {
    const msg = event.data;
    switch (msg.type) {
      case 'init':
        model = msg;
        draw();
        requestRender();
        break;
      case 'rendered':
        if (msg.seq === renderSeq) showRendered(msg.side, msg.result);
        break;
      case 'runChunk':
        $(`completion-${msg.side}`).hidden = false;
        $(`completion-${msg.side}`).textContent += msg.text;
        break;
      case 'runDone':
        finishRun(msg.side, msg.metrics);
        break;
      case 'runError':
        finishRun(msg.side);
        showErrors(msg.side, [msg.message]);
        break;
      case 'feedbackRecorded':
        $(`feedback-${msg.side}`).replaceChildren(el('span', { class: 'recorded', text: msg.message }));
        break;
      case 'usage':
        showUsage(msg);
        break;
      case 'reviewStarted':
        startedReview(msg.version);
        break;
      case 'review':
        showReview(msg.result);
        break;
      case 'reviewError':
        finishReview();
        $('review-note').textContent = msg.message;
        $('review-note').classList.add('error');
        break;
      case 'reviewApplied':
        $('review-status').textContent = msg.message;
        /** @type {any} */ ($('review-apply')).disabled = Boolean(msg.branch);
        break;
    }
  });

  /** The chart (SVG markup built by the extension from numbers only), its legend and the comparison table. */
  function showUsage(view) {
    $('usage-note').textContent = view.message ?? '';
    $('usage-note').hidden = !view.message;
    $('usage-chart').innerHTML = view.chart?.svg ?? '';
    $('usage-legend').replaceChildren(
      ...(view.chart?.legend ?? []).map((l) => el('span', { class: 'legend-item' }, el('span', { class: `swatch series-${l.series}` }), `${l.name} · ${l.calls.toLocaleString('en-US')} call${l.calls === 1 ? '' : 's'}`)),
    );
    const table = $('usage-table');
    table.hidden = !view.table;
    if (!view.table) return table.replaceChildren();
    const columns = form.compare ? view.table.columns : view.table.columns.slice(0, 1);
    const head = el('tr', {}, el('th', { text: 'Metric' }), ...columns.map((c) => el('th', { text: c })), form.compare ? el('th', { text: 'Change' }) : undefined);
    const rows = view.table.rows.map((r) =>
      el('tr', {}, el('th', { scope: 'row', text: r.metric }), el('td', { text: r.a }), form.compare ? el('td', { text: r.b }) : undefined, form.compare ? el('td', { class: `delta ${r.tone ?? ''}`, text: r.delta ?? '' }) : undefined),
    );
    table.replaceChildren(el('thead', {}, head), el('tbody', {}, ...rows));
  }

  function startedReview(version) {
    $('review-result').hidden = true;
    $('review-note').classList.remove('error');
    $('review-note').textContent = `Reviewing ${version}… (the model may take a minute)`;
    /** @type {any} */ ($('review-run')).disabled = true;
  }

  function finishReview() {
    /** @type {any} */ ($('review-run')).disabled = false;
  }

  function showReview(result) {
    finishReview();
    const samples = result.samples ? `, with ${result.samples} consented sample${result.samples === 1 ? '' : 's'}` : '';
    $('review-note').textContent = `Review of ${result.version} (${result.sha.slice(0, 7)}) by ${result.model}${samples}.`;
    $('review-summary').textContent = result.summary;
    $('review-suggestions').replaceChildren(...result.suggestions.map((s) => el('li', {}, el('strong', { text: s.title }), s.detail ? el('span', { text: ` — ${s.detail}` }) : undefined)));
    $('review-problems').replaceChildren(...result.problems.map((p) => el('li', { text: `line ${p.line}, column ${p.column}: ${p.message}` })));
    const diff = $('review-diff');
    diff.hidden = !result.diff;
    diff.replaceChildren(...(result.diff ?? '').split('\n').map((line) => el('span', { class: line.startsWith('+') && !line.startsWith('+++') ? 'added' : line.startsWith('-') && !line.startsWith('---') ? 'removed' : '', text: `${line}\n` })));
    /** @type {any} */ ($('review-open-diff')).disabled = !result.changed;
    /** @type {any} */ ($('review-apply')).disabled = !result.changed || result.problems.length > 0;
    $('review-status').textContent = result.changed ? (result.problems.length ? 'Fix the problems above before applying.' : '') : 'The model proposes no change.';
    $('review-result').hidden = false;
  }

  function draw() {
    if (!model) return;
    $('title').textContent = model.title;
    $('uri').textContent = model.uri;
    const second = model.compare ?? model.versions.find((v) => v.spec !== model?.version)?.spec ?? model.version;
    form = { values: { ...model.values }, versions: [model.version, second], compare: Boolean(model.compare) };
    fillVersions(/** @type {any} */ ($('version-a')), form.versions[0]);
    fillVersions(/** @type {any} */ ($('version-b')), form.versions[1]);
    /** @type {any} */ ($('compare')).checked = form.compare;
    drawParams();
    syncCompare();
    const llmNote = $('llm-note');
    llmNote.hidden = model.llm.enabled;
    llmNote.textContent = model.llm.reason ?? '';
  }

  function fillVersions(select, selected) {
    select.replaceChildren(...model.versions.map((v) => el('vscode-option', { value: v.spec, description: v.detail, selected: v.spec === selected }, v.label)));
  }

  function drawParams() {
    const form = $('params-form');
    const names = Object.keys(model.params);
    if (names.length === 0) {
      form.replaceChildren(el('p', { class: 'notice', text: 'This prompt takes no parameters.' }));
      return;
    }
    // Required parameters first, as the URI completion orders them.
    names.sort((a, b) => Number(Boolean(model.params[b].required)) - Number(Boolean(model.params[a].required)));
    form.replaceChildren(...names.map((name) => paramField(name, model.params[name], model.values[name])));
  }

  function paramField(name, spec, value) {
    const id = `param-${name}`;
    const label = el('vscode-label', { for: id }, name, spec.required ? el('span', { class: 'required', text: '*' }) : undefined, el('span', { class: 'type', text: spec.type ?? 'string' }));
    let input;
    const shown = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    if (Array.isArray(spec.enum)) {
      input = el('vscode-single-select', { id, 'data-param': name });
      const options = spec.required ? [] : [el('vscode-option', { value: '', description: 'not set' }, '—')];
      input.append(...options, ...spec.enum.map((v) => el('vscode-option', { value: String(v), selected: String(v) === shown }, String(v))));
      input.value = shown;
    } else if (spec.type === 'boolean') {
      input = el('vscode-checkbox', { id, 'data-param': name, label: spec.description ?? name, checked: value === true || value === 'true' });
    } else if (spec.type === 'array' || spec.type === 'object') {
      input = el('vscode-textarea', { id, 'data-param': name, rows: 3, placeholder: spec.type === 'array' ? '["a", "b"]' : '{"key": "value"}', value: shown });
    } else {
      input = el('vscode-textfield', { id, 'data-param': name, placeholder: spec.default !== undefined ? `default: ${spec.default}` : spec.required ? 'required' : '', value: shown });
    }
    const update = (/** @type {Event} */ event) => {
      const target = /** @type {any} */ (event.target);
      form.values[name] = spec.type === 'boolean' ? Boolean(target.checked) : String(target.value ?? '');
      requestRender();
    };
    input.addEventListener('input', update);
    input.addEventListener('change', update);
    const help = spec.description && spec.type !== 'boolean' ? el('vscode-form-helper', {}, el('span', { class: 'description', text: spec.description })) : undefined;
    return el('div', { class: 'param' }, label, input, help);
  }

  /** Form values typed by the schema; text that is not valid for its type is sent as typed so the server names the error. */
  function collectParams() {
    const values = {};
    for (const [name, value] of Object.entries(form.values)) {
      const spec = model.params[name] ?? {};
      if (typeof value !== 'string') {
        values[name] = value;
        continue;
      }
      if (value === '') continue;
      if (spec.type === 'number' || spec.type === 'integer') values[name] = value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value;
      else if (spec.type === 'array' || spec.type === 'object') {
        try {
          values[name] = JSON.parse(value);
        } catch {
          values[name] = value;
        }
      } else values[name] = value;
    }
    return values;
  }

  function versions() {
    return form.compare ? form.versions : [form.versions[0]];
  }

  function requestRender() {
    if (!model) return;
    renderSeq += 1;
    vscode.postMessage({ type: 'render', seq: renderSeq, params: collectParams(), versions: versions() });
  }

  function syncCompare() {
    const on = form.compare;
    $('version-b-field').hidden = !on;
    $('output-1').hidden = !on;
    $('outputs').classList.toggle('side-by-side', on);
  }

  function showRendered(side, result) {
    $(`version-label-${side}`).textContent = result.version;
    $(`pinned-${side}`).textContent = result.sha ? `${result.release ? result.release + ' · ' : ''}${result.sha.slice(0, 8)}` : '';
    showErrors(side, result.errors ?? []);
    const out = $(`rendered-${side}`);
    if (result.messages) {
      out.replaceChildren(...result.messages.map((m) => el('div', { class: 'message' }, el('span', { class: 'role', text: m.role }), el('div', { class: 'rendered', text: m.content }))));
    } else if (typeof result.text === 'string') {
      out.replaceChildren(el('div', { class: 'rendered', text: result.text }));
    } else {
      out.replaceChildren();
    }
    /** @type {any} */ ($(`run-${side}`)).disabled = !model.llm.enabled || (result.errors ?? []).length > 0;
  }

  function showErrors(side, errors) {
    $(`errors-${side}`).replaceChildren(...errors.map((e) => el('li', { text: e })));
  }

  function run(side) {
    $(`completion-${side}`).textContent = '';
    $(`completion-${side}`).hidden = true;
    $(`metrics-${side}`).textContent = 'Running…';
    $(`feedback-${side}`).hidden = true;
    /** @type {any} */ ($(`run-${side}`)).disabled = true;
    vscode.postMessage({ type: 'run', side, params: collectParams(), version: versions()[side] });
  }

  function finishRun(side, metrics) {
    /** @type {any} */ ($(`run-${side}`)).disabled = false;
    if (!metrics) {
      $(`metrics-${side}`).textContent = '';
      return;
    }
    const tokens = metrics.inputTokens !== undefined ? ` · ${metrics.inputTokens} in / ${metrics.outputTokens} out tokens` : '';
    $(`metrics-${side}`).textContent = `${metrics.model} · ${metrics.latencyMs} ms${tokens}`;
    const feedback = $(`feedback-${side}`);
    feedback.hidden = false;
    feedback.replaceChildren(
      el('vscode-button', { secondary: true, icon: 'thumbsup', title: 'Good answer: record positive feedback for this version', 'data-feedback': '1' }),
      el('vscode-button', { secondary: true, icon: 'thumbsdown', title: 'Bad answer: record negative feedback for this version', 'data-feedback': '-1' }),
    );
    for (const button of feedback.querySelectorAll('[data-feedback]')) {
      button.addEventListener('click', () => vscode.postMessage({ type: 'feedback', side, value: Number(button.getAttribute('data-feedback')) }));
    }
  }

  for (const [side, id] of [[0, 'version-a'], [1, 'version-b']]) {
    $(id).addEventListener('change', (event) => {
      form.versions[side] = /** @type {any} */ (event.target).value;
      requestRender();
    });
  }
  $('compare').addEventListener('change', (event) => {
    form.compare = Boolean(/** @type {any} */ (event.target).checked);
    syncCompare();
    requestRender();
  });
  $('usage-window').addEventListener('change', (event) => vscode.postMessage({ type: 'usageWindow', window: /** @type {any} */ (event.target).value }));
  $('review-run').addEventListener('click', () => vscode.postMessage({ type: 'review', version: form.versions[0], instruction: /** @type {any} */ ($('review-instruction')).value ?? '' }));
  $('review-open-diff').addEventListener('click', () => vscode.postMessage({ type: 'openReviewDiff' }));
  $('review-apply').addEventListener('click', () => {
    /** @type {any} */ ($('review-apply')).disabled = true;
    $('review-status').textContent = 'Committing the draft…';
    vscode.postMessage({ type: 'applyReview' });
  });
  $('run-0').addEventListener('click', () => run(0));
  $('run-1').addEventListener('click', () => run(1));
  vscode.postMessage({ type: 'ready' });
})();

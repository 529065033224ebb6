// Render & Test webview. It only draws: rendering, LLM calls and usage all happen
// in the extension host, which answers the messages posted from here.
// @ts-check
(function () {
  const vscode = acquireVsCodeApi();
  /** @type {{ title: string, uri: string, versions: {spec: string, label: string, detail: string}[], params: Record<string, any>, values: Record<string, unknown>, version: string, compare?: string, llm: {enabled: boolean, reason?: string} } | undefined} */
  let model;
  let renderSeq = 0;
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
    }
  });

  function draw() {
    if (!model) return;
    $('title').textContent = model.title;
    $('uri').textContent = model.uri;
    fillVersions(/** @type {any} */ ($('version-a')), model.version);
    fillVersions(/** @type {any} */ ($('version-b')), model.compare ?? model.versions.find((v) => v.spec !== model?.version)?.spec ?? model.version);
    /** @type {any} */ ($('compare')).checked = Boolean(model.compare);
    drawParams();
    syncCompare();
    const llmNote = $('llm-note');
    llmNote.hidden = model.llm.enabled;
    llmNote.textContent = model.llm.reason ?? '';
  }

  function fillVersions(select, selected) {
    select.replaceChildren(...model.versions.map((v) => el('vscode-option', { value: v.spec, description: v.detail, selected: v.spec === selected }, v.label)));
    select.value = selected;
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
    input.addEventListener('input', requestRender);
    input.addEventListener('change', requestRender);
    const help = spec.description && spec.type !== 'boolean' ? el('vscode-form-helper', {}, el('span', { class: 'description', text: spec.description })) : undefined;
    return el('div', { class: 'param' }, label, input, help);
  }

  /** Form values typed by the schema; text that is not valid for its type is sent as typed so the server names the error. */
  function collectParams() {
    const values = {};
    for (const input of document.querySelectorAll('[data-param]')) {
      const name = input.getAttribute('data-param');
      const spec = model.params[name] ?? {};
      const any = /** @type {any} */ (input);
      if (spec.type === 'boolean') {
        values[name] = Boolean(any.checked);
        continue;
      }
      const raw = String(any.value ?? '');
      if (raw === '') continue;
      if (spec.type === 'number' || spec.type === 'integer') values[name] = raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
      else if (spec.type === 'array' || spec.type === 'object') {
        try {
          values[name] = JSON.parse(raw);
        } catch {
          values[name] = raw;
        }
      } else values[name] = raw;
    }
    return values;
  }

  function versions() {
    const a = /** @type {any} */ ($('version-a')).value;
    const b = /** @type {any} */ ($('version-b')).value;
    return /** @type {any} */ ($('compare')).checked ? [a, b] : [a];
  }

  function requestRender() {
    if (!model) return;
    renderSeq += 1;
    vscode.postMessage({ type: 'render', seq: renderSeq, params: collectParams(), versions: versions() });
    vscode.setState({ params: collectParams(), versions: versions() });
  }

  function syncCompare() {
    const on = /** @type {any} */ ($('compare')).checked;
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

  $('version-a').addEventListener('change', requestRender);
  $('version-b').addEventListener('change', requestRender);
  $('compare').addEventListener('change', () => {
    syncCompare();
    requestRender();
  });
  $('run-0').addEventListener('click', () => run(0));
  $('run-1').addEventListener('click', () => run(1));
  vscode.postMessage({ type: 'ready' });
})();

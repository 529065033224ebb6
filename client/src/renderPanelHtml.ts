// The Render & Test page: static markup that client/media/panel.js fills in. Scripts
// and styles come from the extension only (a nonce and the webview's own source).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function renderPanelHtml(webview: vscode.Webview, media: vscode.Uri, dist: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const src = (base: vscode.Uri, file: string) => webview.asWebviewUri(vscode.Uri.joinPath(base, file)).toString();
  const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
  const output = (side: number) => `
      <section class="output" id="output-${side}" ${side ? 'hidden' : ''}>
        <div class="heading"><span class="version" id="version-label-${side}"></span><span class="pinned" id="pinned-${side}"></span></div>
        <ul class="errors" id="errors-${side}"></ul>
        <div id="rendered-${side}"></div>
        <div class="run">
          <vscode-button id="run-${side}" icon="play" disabled>Run</vscode-button>
          <span class="metrics" id="metrics-${side}"></span>
          <span class="feedback" id="feedback-${side}" hidden></span>
        </div>
        <div class="completion" id="completion-${side}" hidden></div>
      </section>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${src(dist, 'codicon.css')}" id="vscode-codicon-stylesheet">
  <link rel="stylesheet" href="${src(media, 'panel.css')}">
  <script type="module" nonce="${nonce}" src="${src(dist, 'vscode-elements.js')}"></script>
  <title>Render &amp; Test</title>
</head>
<body>
  <header><h1 id="title"></h1><span class="uri" id="uri"></span></header>
  <div class="toolbar">
    <div class="field"><vscode-label for="version-a">Version</vscode-label><vscode-single-select id="version-a"></vscode-single-select></div>
    <vscode-checkbox id="compare" label="Compare with another version"></vscode-checkbox>
    <div class="field" id="version-b-field" hidden><vscode-label for="version-b">Second version</vscode-label><vscode-single-select id="version-b"></vscode-single-select></div>
  </div>
  <p class="notice" id="llm-note" hidden></p>
  <div class="layout">
    <section class="params"><h2>Parameters</h2><div id="params-form"></div></section>
    <section class="results"><h2>Rendered</h2><div class="outputs" id="outputs">${output(0)}${output(1)}</div></section>
  </div>
  <div class="insights">
    <section class="usage" aria-labelledby="usage-title">
      <div class="section-heading">
        <h2 id="usage-title">Usage</h2>
        <vscode-single-select id="usage-window" aria-label="Period">
          <vscode-option value="day" selected>Last 30 days, by day</vscode-option>
          <vscode-option value="hour">Last 48 hours, by hour</vscode-option>
        </vscode-single-select>
      </div>
      <p class="notice" id="usage-note">Loading usage…</p>
      <div id="usage-chart"></div>
      <div class="legend" id="usage-legend"></div>
      <table class="compare" id="usage-table" hidden></table>
    </section>
    <section class="review" aria-labelledby="review-title">
      <div class="section-heading"><h2 id="review-title">Review with LLM</h2></div>
      <div class="review-form">
        <vscode-textfield id="review-instruction" placeholder="What should it aim for? (optional, e.g. shorter answers)"></vscode-textfield>
        <vscode-button id="review-run" icon="sparkle">Review</vscode-button>
      </div>
      <p class="notice" id="review-note">Reviews the first version above: the prompt, its metrics and consented samples go to the forge's review model.</p>
      <div id="review-result" hidden>
        <p class="review-summary" id="review-summary"></p>
        <ol class="suggestions" id="review-suggestions"></ol>
        <ul class="errors" id="review-problems"></ul>
        <pre class="diff" id="review-diff"></pre>
        <div class="review-actions">
          <vscode-button id="review-open-diff" secondary icon="diff">Open Diff</vscode-button>
          <vscode-button id="review-apply" icon="git-branch">Apply as Draft</vscode-button>
          <span class="notice" id="review-status"></span>
        </div>
      </div>
    </section>
  </div>
  <script nonce="${nonce}" src="${src(media, 'panel.js')}"></script>
</body>
</html>`;
}

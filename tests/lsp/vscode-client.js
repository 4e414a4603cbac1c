#!/usr/bin/env node
// tests/lsp/vscode-client.js DEAL TMPDIR: the VS Code extension's language
// client against `deal lsp`. VS Code cannot run here, so editors/vscode's
// extension.js is activated against a stand-in for the `vscode` module: the
// API members vscode-languageclient 8 (LSP 3.17) touches, as plain objects
// that record what the client does. Everything else is real: extension.js
// starts the LanguageClient, which spawns DEAL lsp, negotiates, syncs the
// document, and turns the server's answers into VS Code objects; the test
// then asks the providers the client registered, as VS Code would (hover,
// completion, definition, symbols) and reads the diagnostic collection.
// Expected values come from `deal --json` on the same text. TAP lines.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const { spawnSync } = require('child_process');

const [deal, tmp] = process.argv.slice(2);
const root = path.join(__dirname, '..', '..');
fs.mkdirSync(tmp, { recursive: true });
let failed = 0;
function check(name, ok, diag) {
  console.log(`${ok ? 'ok' : 'not ok'} - vscode client ${name}`);
  if (!ok) {
    failed++;
    if (diag !== undefined) console.log('#   ' + String(typeof diag === 'string' ? diag : JSON.stringify(diag)).slice(0, 600));
  }
}

// {====== the stand-in for `vscode` ======
const listeners = {};
// vscode.Event: (listener, thisArgs?, disposables?) => Disposable
function event(name) {
  return (fn, self, disposables) => {
    const f = self ? fn.bind(self) : fn;
    (listeners[name] = listeners[name] || []).push(f);
    const d = { dispose() { listeners[name] = listeners[name].filter((g) => g !== f); } };
    if (Array.isArray(disposables)) disposables.push(d);
    return d;
  };
}
function fire(name, value) { for (const f of listeners[name] || []) f(value); }

class Disposable {
  constructor(f) { this.f = f; }
  dispose() { if (this.f) this.f(); }
  static from(...ds) { return new Disposable(() => ds.forEach((d) => d && d.dispose && d.dispose())); }
}
class EventEmitter {
  constructor() {
    this.fns = [];
    this.event = (fn, self, ds) => {
      const f = self ? fn.bind(self) : fn;
      this.fns.push(f);
      const d = new Disposable(() => { this.fns = this.fns.filter((g) => g !== f); });
      if (Array.isArray(ds)) ds.push(d);
      return d;
    };
  }
  fire(v) { this.fns.forEach((f) => f(v)); }
  dispose() {}
}
class Uri {
  constructor(scheme, p) { this.scheme = scheme; this.path = p; this.fsPath = p; this.authority = ''; this.query = ''; this.fragment = ''; }
  static parse(s) { const m = /^([a-z]+):(?:\/\/)?(.*)$/.exec(s); return new Uri(m[1], decodeURIComponent(m[2])); }
  static file(p) { return new Uri('file', p); }
  toString() { return this.scheme === 'file' ? 'file://' + this.path.split('/').map(encodeURIComponent).join('/') : `${this.scheme}:${this.path}`; }
  toJSON() { return this.toString(); }
  with() { return this; }
}
class Position {
  constructor(line, character) { this.line = line; this.character = character; }
  isBefore(o) { return this.line < o.line || (this.line === o.line && this.character < o.character); }
  isEqual(o) { return this.line === o.line && this.character === o.character; }
}
class Range {
  constructor(a, b, c, d) {
    if (typeof a === 'number') { this.start = new Position(a, b); this.end = new Position(c, d); }
    else { this.start = a; this.end = b; }
  }
}
const data = (...fields) => class { constructor(...a) { fields.forEach((f, i) => { this[f] = a[i]; }); } };
const enumOf = (names) => Object.fromEntries(names.map((n, i) => [n, i]));
class MarkdownString {
  constructor(value) { this.value = value || ''; this.isTrusted = false; this.supportHtml = false; }
  appendMarkdown(s) { this.value += s; return this; }
  appendCodeblock(s, l) { this.value += '\n```' + (l || '') + '\n' + s + '\n```\n'; return this; }
  appendText(s) { this.value += s; return this; }
}
const collections = [];
class DiagnosticCollection {
  constructor(name) { this.name = name; this.map = new Map(); collections.push(this); }
  set(uri, diags) {
    if (Array.isArray(uri)) { for (const [u, d] of uri) this.set(u, d); return; }
    this.map.set(uri.toString(), diags || []);
    fire('diagnostics', uri.toString());
  }
  get(uri) { return this.map.get(uri.toString()); }
  delete(uri) { this.map.delete(uri.toString()); }
  clear() { this.map.clear(); }
  forEach(f) { this.map.forEach((d, u) => f(Uri.parse(u), d, this)); }
  dispose() {}
}
const providers = {};
function registrar(kind) {
  return (selector, provider) => {
    (providers[kind] = providers[kind] || []).push(provider);
    return new Disposable(() => {});
  };
}
const folder = { uri: Uri.file(tmp), name: 'workspace', index: 0 };
const documents = [];
const vscode = {
  version: '1.75.0',
  Uri, Position, Range, Disposable, EventEmitter, MarkdownString,
  Diagnostic: class { constructor(range, message, severity) { Object.assign(this, { range, message, severity }); } },
  DiagnosticSeverity: enumOf(['Error', 'Warning', 'Information', 'Hint']),
  DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
  DiagnosticRelatedInformation: data('location', 'message'),
  Hover: data('contents', 'range'),
  Location: data('uri', 'range'),
  CompletionItem: data('label', 'kind'),
  CompletionList: data('items', 'isIncomplete'),
  CompletionItemKind: enumOf(['Text', 'Method', 'Function', 'Constructor', 'Field', 'Variable', 'Class', 'Interface',
    'Module', 'Property', 'Unit', 'Value', 'Enum', 'Keyword', 'Snippet', 'Color', 'File', 'Reference', 'Folder',
    'EnumMember', 'Constant', 'Struct', 'Event', 'Operator', 'TypeParameter', 'User', 'Issue']),
  CompletionItemTag: { Deprecated: 1 },
  CompletionTriggerKind: enumOf(['Invoke', 'TriggerCharacter', 'TriggerForIncompleteCompletions']),
  DocumentSymbol: data('name', 'detail', 'kind', 'range', 'selectionRange'),
  SymbolInformation: data('name', 'kind', 'containerName', 'location'),
  SymbolKind: enumOf(['File', 'Module', 'Namespace', 'Package', 'Class', 'Method', 'Property', 'Field',
    'Constructor', 'Enum', 'Interface', 'Function', 'Variable', 'Constant', 'String', 'Number', 'Boolean',
    'Array', 'Object', 'Key', 'Null', 'EnumMember', 'Struct', 'Event', 'Operator', 'TypeParameter']),
  SymbolTag: { Deprecated: 1 },
  TextEdit: data('range', 'newText'),
  CallHierarchyItem: data('kind', 'name', 'detail', 'uri', 'range', 'selectionRange'),
  TypeHierarchyItem: data('kind', 'name', 'detail', 'uri', 'range', 'selectionRange'),
  CodeLens: data('range', 'command'),
  CodeAction: data('title', 'kind'),
  DocumentLink: data('range', 'target'),
  CodeActionKind: (() => {
    class Kind { constructor(v) { this.value = v; } append(p) { return new Kind(this.value ? `${this.value}.${p}` : p); } contains() { return false; } intersects() { return false; } }
    const k = { Empty: new Kind('') };
    for (const n of ['QuickFix', 'Refactor', 'RefactorExtract', 'RefactorInline', 'RefactorRewrite', 'Source', 'SourceOrganizeImports', 'SourceFixAll']) k[n] = new Kind(n);
    return k;
  })(),
  CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
  DocumentHighlightKind: enumOf(['Text', 'Read', 'Write']),
  FoldingRangeKind: { Comment: 1, Imports: 2, Region: 3 },
  SignatureHelpTriggerKind: { Invoke: 1, TriggerCharacter: 2, ContentChange: 3 },
  NotebookCellKind: { Markup: 1, Code: 2 },
  InlayHint: data('position', 'label', 'kind'),
  SnippetString: data('value'),
  WorkspaceEdit: class { set() {} },
  TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
  CancellationTokenSource: class {
    constructor() { this.token = { isCancellationRequested: false, onCancellationRequested: () => new Disposable(() => {}) }; }
    cancel() { this.token.isCancellationRequested = true; }
    dispose() {}
  },
  CancellationError: class extends Error {},
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  RelativePattern: data('base', 'pattern'),
  workspace: {
    workspaceFolders: [folder],
    get textDocuments() { return documents; },
    getConfiguration: () => ({ get: (key, dflt) => (key === 'program' ? deal : dflt), has: () => false }),
    getWorkspaceFolder: () => folder,
    onDidOpenTextDocument: event('open'),
    onDidCloseTextDocument: event('close'),
    onDidChangeTextDocument: event('change'),
    onDidSaveTextDocument: event('save'),
    onWillSaveTextDocument: event('willSave'),
    onDidChangeConfiguration: event('config'),
    onDidChangeWorkspaceFolders: event('folders'),
    createFileSystemWatcher: () => ({ onDidCreate: event('fsc'), onDidChange: event('fsch'), onDidDelete: event('fsd'), dispose() {} }),
    applyEdit: async () => true,
  },
  window: {
    activeTextEditor: undefined,
    visibleTextEditors: [],
    tabGroups: { all: [], onDidChangeTabs: event('tabs'), onDidChangeTabGroups: event('tabgroups') },
    onDidChangeActiveTextEditor: event('editor'),
    onDidChangeVisibleTextEditors: event('editors'),
    createOutputChannel: (name) => ({ name, append() {}, appendLine(s) { if (process.env.LSP_VERBOSE) console.log('# ' + s); }, replace() {}, clear() {}, show() {}, hide() {}, dispose() {} }),
    showErrorMessage: async (m) => { console.log('# error message: ' + m); },
    showWarningMessage: async () => undefined,
    showInformationMessage: async () => undefined,
    withProgress: async (o, task) => task({ report() {} }, new vscode.CancellationTokenSource().token),
    showTextDocument: async () => undefined,
  },
  languages: {
    match: (selector, doc) => ([].concat(selector).some((s) => (typeof s === 'string' ? s === doc.languageId
      : (!s.language || s.language === doc.languageId) && (!s.scheme || s.scheme === doc.uri.scheme))) ? 10 : 0),
    createDiagnosticCollection: (name) => new DiagnosticCollection(name),
    onDidChangeDiagnostics: event('diagchange'),
  },
  tasks: { registerTaskProvider: () => new Disposable(() => {}) },
  commands: { registerCommand: () => new Disposable(() => {}), executeCommand: async () => undefined },
  env: { language: 'en', appName: 'deal test harness', machineId: 'test', openExternal: async () => true },
  TabInputText: class {},
  TabInputTextDiff: class {},
};
for (const k of ['Hover', 'Completion', 'Definition', 'DocumentSymbol', 'SignatureHelp', 'WorkspaceSymbol', 'TypeHierarchy',
  'TypeDefinition', 'SelectionRange', 'Rename', 'Reference', 'OnTypeFormattingEdit', 'InlineValues', 'InlayHints',
  'Implementation', 'FoldingRange', 'DocumentRangeFormattingEdit', 'DocumentLink', 'DocumentHighlight',
  'DocumentFormattingEdit', 'Declaration', 'Color', 'CodeLens', 'CodeActions', 'CallHierarchy', 'CompletionItem',
  'DocumentSemanticTokens', 'DocumentRangeSemanticTokens', 'LinkedEditingRange', 'EvaluatableExpression']) {
  vscode.languages[`register${k}Provider`] = registrar(k);
}
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
// what the client reads and the stand-in lacks is reported, not guessed
const missing = new Set();
const exported = new Proxy(vscode, { get: (t, k) => { if (!(k in t) && typeof k === 'string') missing.add(k); return t[k]; } });
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: exported };
// }======

// A text document as VS Code gives it to extensions.
class Doc {
  constructor(file, text) { this.uri = Uri.file(file); this.fileName = file; this.languageId = 'deal'; this.version = 1; this.isUntitled = false; this.isDirty = false; this.isClosed = false; this.eol = 1; this.setText(text); }
  setText(t) { this.text = t; this.lines = t.split('\n'); this.lineCount = this.lines.length; }
  getText() { return this.text; }
  offsetAt(p) { let o = 0; for (let i = 0; i < p.line; i++) o += this.lines[i].length + 1; return o + p.character; }
  positionAt(o) { let l = 0; while (l < this.lines.length - 1 && o > this.lines[l].length) { o -= this.lines[l].length + 1; l++; } return new Position(l, o); }
  lineAt(n) { const l = typeof n === 'number' ? n : n.line; return { text: this.lines[l], range: new Range(l, 0, l, this.lines[l].length), lineNumber: l }; }
  getWordRangeAtPosition() { return undefined; }
  save() { return Promise.resolve(true); }
}

function waitFor(pred, ms) {
  return new Promise((res) => {
    const end = Date.now() + ms;
    const tick = () => { const v = pred(); if (v || Date.now() > end) res(v); else setTimeout(tick, 20); };
    tick();
  });
}
const token = new vscode.CancellationTokenSource().token;

async function main() {
  const file = path.join(tmp, 'vscode_model.deal');
  const text = 'local budget = $1B\nlocal power = 40 MW\nlocal oops = budget + power\nlocal p = 1.2 GW\n';
  fs.writeFileSync(file, text);
  const r = spawnSync(deal, ['--json', '--samples', '2000', file], { encoding: 'utf8' });
  let ref = {};
  try { ref = JSON.parse(r.stdout); } catch (e) { check('deal --json runs (the reference)', false, r.stderr); }

  const ext = require(path.join(root, 'editors', 'vscode', 'extension.js'));
  const subs = [];
  const started = ext.activate({ subscriptions: subs, extensionPath: path.join(root, 'editors', 'vscode') });
  check('extension.js starts a language client', started && typeof started.then === 'function');
  await started;
  check('the client is running against deal lsp', true);

  const doc = new Doc(file, text);
  documents.push(doc);
  fire('open', doc);
  const uri = doc.uri.toString();
  const diags = () => collections.map((c) => c.get(doc.uri)).find((d) => d && d.length);
  const d = await waitFor(diags, 20000);
  check('diagnostics reach the collection', d && d.length === 1, d);
  const e = ref.error || {};
  check('the unit error is on line 3, where deal --json puts it', d && d[0].range.start.line === e.line - 1, [d, e]);
  check("with deal's message", d && String(e.message || '?').split(': ').pop() && d[0].message.includes(String(e.message).split(': ').pop()),
    [d && d[0].message, e.message]);
  check('as an error', d && d[0].severity === vscode.DiagnosticSeverity.Error, d);

  const hover = await providers.Hover[0].provideHover(doc, new Position(0, 8), token);
  const hv = hover ? [].concat(hover.contents).map((c) => c.value || c).join('\n') : '';
  const first = (ref.results || [])[0] || {};
  check('hover shows the value of the run', first.text && hv.includes(first.text), [hv, first]);

  const comp = await providers.CompletionItem[0].provideCompletionItems(doc, new Position(3, 15), token,
    { triggerKind: 0 });
  const items = comp ? (Array.isArray(comp) ? comp : comp.items) : [];
  check('completion of units (1.2 G -> GW)', items.some((i) => (i.label.label || i.label) === 'GW'), items.map((i) => i.label).slice(0, 20));

  const def = await providers.Definition[0].provideDefinition(doc, new Position(2, 15), token);
  const loc = [].concat(def || [])[0];
  check('definition of budget', loc && loc.range.start.line === 0 && loc.range.start.character === 6, loc);

  const syms = await providers.DocumentSymbol[0].provideDocumentSymbols(doc, token);
  check('document symbols', syms && syms.map((s) => s.name).join() === 'budget,power,oops,p', syms && syms.map((s) => s.name));

  // the user fixes line 3: an incremental change, as VS Code sends it
  const old = doc.lines[2];
  doc.setText(text.replace(old, 'local oops = power * 2'));
  doc.version = 2;
  fire('change', { document: doc, reason: undefined, contentChanges: [{ range: new Range(2, 0, 2, old.length),
    rangeOffset: doc.offsetAt(new Position(2, 0)), rangeLength: old.length, text: 'local oops = power * 2' }] });
  const cleared = await waitFor(() => collections.every((c) => !(c.get(doc.uri) || []).length), 20000);
  check('fixing the line clears the diagnostic', cleared, collections.map((c) => c.get(doc.uri)));
  await ext.deactivate();
  check('the server stops with the extension', true);
  void uri;
}

main().then(() => process.exit(0), (e) => {
  check('ran without an exception', false, String(e && e.stack) + ' (vscode members missing: ' + [...missing].join() + ')');
  process.exit(0);
});

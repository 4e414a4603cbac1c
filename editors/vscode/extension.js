// editors/vscode/extension.js: the Dealscript extension's code. It provides
// the `deal` task type that package.json declares: `deal check PATH` with the
// `$deal-check` problem matcher, for the open .deal file and for each
// workspace folder, and for `{ "type": "deal", "path": "models" }` entries of
// tasks.json. It also starts the language server, `deal lsp` (diagnostics
// while typing, values on hover, completion, definitions, symbols), through
// vscode-languageclient, unless the `deal.server` setting is false.
'use strict';
const path = require('path');
const vscode = require('vscode');

/** @type {import('vscode-languageclient/node').LanguageClient | undefined} */
let client;

/** The program that runs models: the `deal.program` setting, default `deal`. */
function program() {
  return vscode.workspace.getConfiguration('deal').get('program', 'deal');
}

/**
 * The task that checks definition.path (a file or folder, relative to the
 * folder of `scope` when that is a workspace folder).
 * @param {{type: string, path: string}} definition
 * @param {vscode.WorkspaceFolder | vscode.TaskScope} scope
 * @returns {vscode.Task}
 */
function checkTask(definition, scope) {
  const cwd = typeof scope === 'object' ? scope.uri.fsPath : undefined;
  const execution = new vscode.ProcessExecution(program(), ['check', definition.path],
    cwd ? { cwd } : {});
  const task = new vscode.Task(definition, scope, `check ${definition.path}`, 'deal',
    execution, '$deal-check');
  task.group = vscode.TaskGroup.Test;
  return task;
}

/**
 * Tasks offered in "Run Task": the open .deal file, then each folder.
 * @returns {vscode.Task[]}
 */
function provideTasks() {
  const tasks = [];
  const editor = vscode.window.activeTextEditor;
  const doc = editor && editor.document;
  if (doc && doc.languageId === 'deal' && doc.uri.scheme === 'file') {
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const file = folder ? path.relative(folder.uri.fsPath, doc.uri.fsPath) : doc.uri.fsPath;
    tasks.push(checkTask({ type: 'deal', path: file }, folder || vscode.TaskScope.Workspace));
  }
  for (const folder of vscode.workspace.workspaceFolders || []) {
    tasks.push(checkTask({ type: 'deal', path: '.' }, folder));
  }
  return tasks;
}

/**
 * A tasks.json entry of type `deal` gets its command here.
 * @param {vscode.Task} task
 * @returns {vscode.Task | undefined}
 */
function resolveTask(task) {
  const def = task.definition;
  if (def.type !== 'deal' || typeof def.path !== 'string' || def.path === '') return undefined;
  return checkTask({ type: 'deal', path: def.path }, task.scope || vscode.TaskScope.Workspace);
}

/**
 * The language client of `deal lsp` for .deal files (saved or not).
 * @returns {import('vscode-languageclient/node').LanguageClient}
 */
function languageClient() {
  const { LanguageClient } = require('vscode-languageclient/node');
  const run = { command: program(), args: ['lsp'] };   /* standard input and output */
  return new LanguageClient('deal', 'Dealscript', { run, debug: run }, {
    documentSelector: [{ scheme: 'file', language: 'deal' }, { scheme: 'untitled', language: 'deal' }],
  });
}

/** @param {vscode.ExtensionContext} context */
function activate(context) {
  context.subscriptions.push(vscode.tasks.registerTaskProvider('deal', { provideTasks, resolveTask }));
  if (vscode.workspace.getConfiguration('deal').get('server', true)) {
    client = languageClient();
    return client.start();
  }
  return undefined;
}

/** Stops the language server with the extension. */
function deactivate() {
  const c = client;
  client = undefined;
  return c ? c.stop() : undefined;
}

module.exports = { activate, deactivate, checkTask, provideTasks, resolveTask, languageClient };

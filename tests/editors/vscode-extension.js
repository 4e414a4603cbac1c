#!/usr/bin/env node
// tests/editors/vscode-extension.js DEAL TMPDIR: the extension's `deal` task
// provider (editors/vscode/extension.js). VS Code itself cannot run here, so
// the extension gets a stand-in for the few `vscode` API members it uses
// (their types are checked against @types/vscode by tsc in run.sh); the
// commands its tasks hold are then run for real with DEAL, in a workspace
// folder holding a model whose claims hold and one whose claim fails.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');
const { spawnSync } = require('child_process');

const [deal, tmp] = process.argv.slice(2);
const root = path.join(__dirname, '..', '..');
const folderPath = path.join(tmp, 'workspace');
fs.mkdirSync(path.join(folderPath, 'models'), { recursive: true });
fs.copyFileSync(path.join(root, 'examples', 'financing_platform.deal'),
  path.join(folderPath, 'models', 'financing.deal'));
fs.writeFileSync(path.join(folderPath, 'models', 'too_cheap.deal'),
  'local capex = 20 GW * ($35B/GW to $60B/GW)\nclaim("20 GW costs under $100B", capex < $100B, 0.9)\n');

// The stand-in: records what the extension builds.
const registered = {};
const folder = { uri: { fsPath: folderPath, scheme: 'file' }, name: 'workspace', index: 0 };
const active = { document: { languageId: 'deal', uri: { fsPath: path.join(folderPath, 'models', 'financing.deal'), scheme: 'file' } } };
const vscode = {
  TaskScope: { Global: 1, Workspace: 2 },
  TaskGroup: { Test: { id: 'test' } },
  ProcessExecution: class { constructor(process, args, options) { Object.assign(this, { process, args, options }); } },
  Task: class {
    constructor(definition, scope, name, source, execution, problemMatchers) {
      Object.assign(this, { definition, scope, name, source, execution,
        problemMatchers: [].concat(problemMatchers) });
    }
  },
  workspace: {
    workspaceFolders: [folder],
    getWorkspaceFolder: uri => (uri.fsPath.startsWith(folderPath + path.sep) ? folder : undefined),
    // deal.server false: the language client has tests/lsp/vscode-client.js
    getConfiguration: section => ({ get: (key, dflt) => (section !== 'deal' ? dflt : key === 'program' ? deal
      : key === 'server' ? false : dflt) }),
  },
  window: { activeTextEditor: active },
  tasks: { registerTaskProvider: (type, provider) => { registered[type] = provider; return { dispose() {} }; } },
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
};
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };

function check(name, f) {
  try {
    const why = f();
    console.log(why ? `not ok - vscode ${name}\n#   ${why}` : `ok - vscode ${name}`);
  } catch (e) {
    console.log(`not ok - vscode ${name}\n#   ${String(e.stack).split('\n').slice(0, 3).join('\n#   ')}`);
  }
}

// Runs a task's command as VS Code's process execution would.
function runTask(task) {
  const ex = task.execution;
  const r = spawnSync(ex.process, ex.args, { cwd: ex.options.cwd, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, out: `${r.stdout || ''}${r.stderr || ''}` };
}

const ext = require(path.join(root, 'editors', 'vscode', 'extension.js'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'editors', 'vscode', 'package.json'), 'utf8'));

check('extension activates with a deal task provider', () => {
  if (pkg.main !== './extension.js') return 'package.json main is ' + pkg.main;
  if (!(pkg.activationEvents || []).includes('onTaskType:deal')) return 'no onTaskType:deal activation';
  if (!pkg.contributes.taskDefinitions.some(t => t.type === 'deal')) return 'no taskDefinitions deal';
  const subs = [];
  ext.activate({ subscriptions: subs });
  if (!registered.deal) return 'no provider registered for type deal';
  if (subs.length !== 1) return 'the provider is not disposed with the extension';
  return '';
});

check('tasks: deal check of the open file and of the folder', () => {
  const tasks = registered.deal.provideTasks();
  const got = tasks.map(t => [t.definition.path, t.execution.args.join(' '), t.problemMatchers.join()]);
  const want = [[path.join('models', 'financing.deal'), `check ${path.join('models', 'financing.deal')}`, '$deal-check'],
    ['.', 'check .', '$deal-check']];
  if (JSON.stringify(got) !== JSON.stringify(want)) return 'tasks ' + JSON.stringify(got);
  const [file, all] = tasks.map(runTask);
  if (file.status !== 0) return `deal check of the file exited ${file.status}: ${file.out.slice(0, 300)}`;
  if (!/too_cheap\.deal/.test(all.out) || all.status === 0)
    return `deal check of the folder: exit ${all.status}, ${all.out.slice(0, 300)}`;
  return '';
});

check('tasks.json entries of type deal resolve', () => {
  const t = registered.deal.resolveTask({ definition: { type: 'deal', path: 'models/too_cheap.deal' }, scope: folder });
  if (!t || t.execution.process !== deal || t.execution.args.join(' ') !== 'check models/too_cheap.deal')
    return 'resolved to ' + JSON.stringify(t && t.execution);
  const r = runTask(t);
  if (r.status === 0 || !/too_cheap\.deal/.test(r.out)) return `the failing claim passed: ${r.out.slice(0, 300)}`;
  if (registered.deal.resolveTask({ definition: { type: 'deal' }, scope: folder }) !== undefined)
    return 'a task without a path resolved';
  return '';
});

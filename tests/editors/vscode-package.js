#!/usr/bin/env node
// tests/editors/vscode-package.js: TAP checks of editors/vscode's manifest,
// language configuration and snippets (the problem matcher: vscode-errors.js).
'use strict';
const fs = require('fs');
const path = require('path');
const ext = path.join(__dirname, '..', '..', 'editors', 'vscode');

function check(name, f) {
  try {
    const why = f();
    console.log(why ? `not ok - vscode ${name}\n#   ${why}` : `ok - vscode ${name}`);
  } catch (e) {
    console.log(`not ok - vscode ${name}\n#   ${String(e.message).split('\n')[0]}`);
  }
}
const json = f => JSON.parse(fs.readFileSync(path.join(ext, f), 'utf8'));

check('package.json', () => {
  const p = json('package.json');
  const lang = (p.contributes.languages || []).find(l => l.id === 'deal');
  if (!lang || !lang.extensions.includes('.deal')) return 'no language deal for .deal';
  const g = (p.contributes.grammars || []).find(g => g.language === 'deal');
  if (!g || g.scopeName !== 'source.deal') return 'no grammar source.deal';
  if (json(g.path).scopeName !== 'source.deal') return 'grammar scopeName differs';
  for (const f of [lang.configuration, g.path, ...p.contributes.snippets.map(s => s.path)]) {
    if (!fs.existsSync(path.join(ext, f))) return 'missing ' + f;
  }
  return '';
});

check('language-configuration.json', () => {
  const c = json('language-configuration.json');
  if (c.comments.lineComment !== '--') return 'line comment is not --';
  const inc = new RegExp(c.indentationRules.increaseIndentPattern);
  const dec = new RegExp(c.indentationRules.decreaseIndentPattern);
  if (!inc.test('for i = 1, 3 do') || !inc.test('local f = function(x)') || inc.test('-- do'))
    return 'increaseIndentPattern';
  if (!dec.test('  end') || !dec.test('else') || dec.test('local endx = 1')) return 'decreaseIndentPattern';
  return '';
});

check('snippets', () => {
  const s = json('snippets/deal.code-snippets');
  const prefixes = Object.values(s).map(x => x.prefix);
  for (const want of ['chip', 'rack', 'purchase', 'claim']) {
    if (!prefixes.includes(want)) return 'no snippet ' + want;
  }
  for (const [k, v] of Object.entries(s)) {
    if (!Array.isArray(v.body) || !v.description) return k + ': body or description missing';
  }
  return '';
});

// The problem matcher is tested on real deal output: vscode-errors.js.

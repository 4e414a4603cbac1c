#!/usr/bin/env node
// tests/editors/vscode-fixtures.js FIXTURE_DIR OUT_DIR
// Rewrite the shared fixtures (neutral classes, see editors/fixtures/README.md)
// into vscode-tmgrammar-test files that name TextMate scopes.
'use strict';
const fs = require('fs');
const path = require('path');

// neutral class -> TextMate scope of editors/vscode/syntaxes/deal.tmLanguage.json
const SCOPES = {
  'number': 'constant.numeric.deal',
  'number.scaled': 'constant.numeric.scaled.deal',
  'number.percent': 'constant.numeric.percent.deal',
  'unit': 'keyword.other.unit.deal',
  'money': 'constant.numeric.money.deal',
  'currency': 'support.type.currency.deal',
  'range': 'keyword.operator.range.deal',
  'builtin': 'support.function.builtin.deal',
  'library': 'support.function.lua.deal',
  'claim': 'support.function.claim.deal',
  'comment': 'comment.line.double-dash.deal',
  'comment.block': 'comment.block.deal',
  'string': 'string.quoted.double.deal',
  'string.single': 'string.quoted.single.deal',
  'string.long': 'string.quoted.other.multiline.deal',
  'keyword': 'keyword.control.deal',
  'keyword.operator': 'keyword.operator.logical.deal',
  'constant': 'constant.language.deal',
};

// A required class uses its own scope, else its nearest parent's.
function required(cls) {
  for (let c = cls; c; c = c.includes('.') ? c.replace(/\.[^.]*$/, '') : '') {
    if (SCOPES[c]) return SCOPES[c];
  }
  throw new Error('unknown class ' + cls);
}
// A forbidden class forbids its own scope and every subclass's.
function forbidden(cls) {
  const out = Object.keys(SCOPES).filter(c => c === cls || c.startsWith(cls + '.')).map(c => SCOPES[c]);
  if (!out.length) throw new Error('unknown class ' + cls);
  return out;
}

const [dir, out] = process.argv.slice(2);
fs.mkdirSync(out, { recursive: true });
const ASSERT = /^(--\s*(?:\^+\s*)+|--\s*<~*-+)(.*)$/;
for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.deal')).sort()) {
  const lines = fs.readFileSync(path.join(dir, f), 'utf8').split('\n').map((l, i) => {
    const m = i > 0 && ASSERT.exec(l);
    if (!m) return l;
    const [req, forb = ''] = m[2].split(/\s-\s|^-\s|^\s*-$/);
    const r = req.trim().split(/\s+/).filter(Boolean).map(required);
    const x = [...new Set(forb.trim().split(/\s+/).filter(Boolean).flatMap(forbidden))];
    return [m[1].replace(/\s+$/, ''), ...r, ...(x.length ? ['-', ...x] : [])].join(' ');
  });
  fs.writeFileSync(path.join(out, f), lines.join('\n'));
}

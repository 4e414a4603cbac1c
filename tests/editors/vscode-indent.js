#!/usr/bin/env node
// tests/editors/vscode-indent.js: the indentation rules of
// editors/vscode/language-configuration.json, evaluated the way VS Code's
// "Reindent Lines" command applies them (a level more after a line matching
// increaseIndentPattern, one line more after indentNextLinePattern, a level
// less on a line matching decreaseIndentPattern; two spaces a level, as
// package.json sets for deal). Each example model and
// editors/fixtures/indent/cases.deal loses its indentation and is reindented.
//
// Regular expressions can only add or remove a level, so two kinds of line are
// out of their reach and only counted: a line inside a bracket that has text
// after it on its own line (`claim("…",` then the aligned argument), and a
// line continuing an expression (after a line ending with a binary operator,
// or starting with one). Every other line must come back as written.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');
const conf = JSON.parse(fs.readFileSync(path.join(root, 'editors', 'vscode', 'language-configuration.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'editors', 'vscode', 'package.json'), 'utf8'));
const rule = name => (conf.indentationRules[name] ? new RegExp(conf.indentationRules[name]) : null);
const inc = rule('increaseIndentPattern');
const dec = rule('decreaseIndentPattern');
const next = rule('indentNextLinePattern');
const unit = ' '.repeat(((pkg.contributes.configurationDefaults || {})['[deal]'] || {})['editor.tabSize'] || 4);

// VS Code's reindent: the first line keeps its indentation; `global` is the
// block level, `ideal` the indentation of the next line; a line that starts
// inside a string is left alone.
function reindent(lines) {
  const inString = codeLines(lines).map(l => l.start === 'string');
  const out = [lines[0]];
  let global = lines[0].match(/^\s*/)[0];
  let ideal = global;
  const test = (re, s) => re !== null && re.test(s);
  if (test(inc, lines[0])) { global += unit; ideal = global; } else if (test(next, lines[0])) ideal += unit;
  for (const [n, line] of lines.entries()) {
    if (n === 0) continue;
    if (inString[n]) { out.push(line); continue; }  // VS Code leaves a line that starts in a string
    const text = line.trimStart();
    let adjusted = ideal + text;
    if (test(dec, adjusted)) {
      ideal = ideal.slice(unit.length);
      global = global.slice(unit.length);
      adjusted = ideal + text;
    }
    out.push(text === '' ? '' : adjusted);
    if (test(inc, adjusted)) { global += unit; ideal = global; } else if (test(next, adjusted)) ideal += unit; else ideal = global;
  }
  return out;
}

// Code with strings and comments blanked, line by line (long brackets span
// lines); `start` is 'string' or 'comment' for a line that starts inside a
// long string or comment.
function codeLines(lines) {
  let close = null;  // the `]=*]` of an open long string or comment
  let kind = null;
  return lines.map(line => {
    let out = '';
    let i = 0;
    const start = close ? kind : null;
    if (close) {
      const e = line.indexOf(close);
      if (e < 0) return { code: ' '.repeat(line.length), start };
      i = e + close.length;
      out = ' '.repeat(i);
      close = null;
    }
    while (i < line.length) {
      const rest = line.slice(i);
      const long = /^(--)?\[(=*)\[/.exec(rest);
      if (long) {
        const e = line.indexOf(`]${long[2]}]`, i + long[0].length);
        if (e < 0) {
          close = `]${long[2]}]`;
          kind = long[1] ? 'comment' : 'string';
          out += ' '.repeat(line.length - i);
          break;
        }
        out += ' '.repeat(e + long[2].length + 2 - i);
        i = e + long[2].length + 2;
      } else if (rest.startsWith('--')) {
        out += ' '.repeat(line.length - i);
        break;
      } else if (rest[0] === '"' || rest[0] === "'") {
        let j = i + 1;
        while (j < line.length && line[j] !== rest[0]) j += line[j] === '\\' ? 2 : 1;
        out += '"' + ' '.repeat(Math.max(0, Math.min(j, line.length) - i - 1)) + (j < line.length ? '"' : '');
        i = j + 1;
      } else {
        out += rest[0];
        i++;
      }
    }
    return { code: out, start };
  });
}

// Lines out of reach of regular expressions (see the top of this file),
// and lines inside long comments, which they cannot tell from code.
function continuationLines(lines) {
  const code = codeLines(lines);
  const stack = [];  // open brackets: { aligned: text follows on their line }
  const out = new Set();
  const opEnd = /(?:[-+*/^<>=~]|\.\.|\b(?:and|or))\s*$/;
  const opStart = /^\s*(?:\b(?:and|or)\b|\.\.(?!\.)|[*/%^&|<>=~+])/;
  let prevCode = '';
  code.forEach(({ code: c, start }, n) => {
    if (stack.some(b => b.aligned) || opStart.test(c) || (c.trim() !== '' && opEnd.test(prevCode))
        || start === 'comment') out.add(n);
    for (let i = 0; i < c.length; i++) {
      if ('({['.includes(c[i])) stack.push({ aligned: c.slice(i + 1).trim() !== '' });
      else if (')}]'.includes(c[i])) stack.pop();
    }
    if (c.trim() !== '') prevCode = c;
  });
  return out;
}

function strip(lines) {
  let close = null;
  return lines.map(l => {
    const kept = close ? l : l.trimStart();
    if (close) { if (l.includes(close)) close = null; } else {
      const m = /\[(=*)\[/.exec(l);
      if (m && !l.includes(`]${m[1]}]`, m.index + m[0].length)) close = `]${m[1]}]`;
    }
    return kept;
  });
}

function check(name, f) {
  try {
    const why = f();
    console.log(why ? `not ok - vscode ${name}\n${why.split('\n').slice(0, 10).map(l => `#   ${l}`).join('\n')}` : `ok - vscode ${name}`);
  } catch (e) {
    console.log(`not ok - vscode ${name}\n#   ${String(e.message).split('\n')[0]}`);
  }
}

check('indentation rules on single lines', () => {
  const cases = [
    [inc, 'for i = 1, 3 do', true], [inc, 'local f = function(x)', true], [inc, 'claim(', true],
    [inc, 'local t = { -- fields', true], [inc, 'foo(function() return 1 end)', false],
    [inc, '-- do', false], [inc, 'local s = "x" -- then', false],
    [dec, '  end)', true], [dec, 'else', true], [dec, ')', true], [dec, 'local endx = 1', false],
    [next, 'local total = a +', true], [next, 'local ok = a and', true], [next, 'local load = 80%', false],
    [next, 'local x = 1 -- comment -', false], [next, 'x = y --- note', false],
    [inc, 'print("the TPUs then", x)', false], [inc, 'local s = "( { [ function do" -- then ( {', false],
    [inc, 'local banner = [[', false], [inc, 'local t = x[', true], [next, 'local s = "a +"', false],
    [inc, "print('it''s done', 1) if ok then", true],
  ];
  const bad = cases.filter(([re, line, want]) => re.test(line) !== want);
  return bad.map(([re, line, want]) => `${want ? 'no match' : 'match'} for ${JSON.stringify(line)}`).join('\n');
});

const files = [
  ...fs.readdirSync(path.join(root, 'examples')).filter(f => f.endsWith('.deal')).sort().map(f => path.join(root, 'examples', f)),
  ...fs.readdirSync(path.join(root, 'editors', 'fixtures', 'indent')).filter(f => f.endsWith('.deal')).sort()
    .map(f => path.join(root, 'editors', 'fixtures', 'indent', f)),
];
for (const file of files) {
  const want = fs.readFileSync(file, 'utf8').split('\n');
  const got = reindent(strip(want));
  const cont = continuationLines(want);
  const wrong = [];
  let contWrong = 0;
  want.forEach((w, n) => {
    if (got[n] === w) return;
    if (cont.has(n)) contWrong++; else wrong.push(`line ${n + 1}: want ${JSON.stringify(w)} got ${JSON.stringify(got[n])}`);
  });
  const name = `indent ${path.basename(path.dirname(file))}/${path.basename(file)}`;
  check(name, () => wrong.join('\n'));
  console.log(`#   ${name}: ${wrong.length + contWrong} of ${want.length} lines differ, ${contWrong} of them continuation lines`);
}

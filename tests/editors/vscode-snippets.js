#!/usr/bin/env node
// tests/editors/vscode-snippets.js DEAL TMPDIR: expand every snippet of
// editors/vscode/snippets/deal.code-snippets with its default values, as VS Code
// inserts it when the user only presses Tab, and run the result with the real
// deal (`deal check`, which fails on an error or a failing claim). A snippet
// runs after the expansions of the snippets listed before it (`rack` uses the
// `tpu` of `chip`); an expression snippet (`to`) runs as `print(...)`. TAP
// lines: `ok - vscode snippet chip`.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

// Default text of a snippet body, after VS Code's snippet grammar
// (code.visualstudio.com/docs/editor/userdefinedsnippets#_grammar):
// $1 and ${1} mirror placeholder 1's default, ${1:text} is text (nested),
// ${1|a,b|} is its first choice, $0 is empty, ${VAR:default} is the default
// and \$ \} \\ are the characters themselves.
function expand(body) {
  const src = body.join('\n');
  const defaults = {};
  let i = 0;
  function parse(stop) {  // text up to the `}` that ends a placeholder
    let out = '';
    while (i < src.length) {
      const c = src[i];
      if (c === '\\' && '$}\\'.includes(src[i + 1])) { out += src[i + 1]; i += 2; continue; }
      if (stop && c === '}') return out;
      if (c !== '$') { out += c; i++; continue; }
      let m = /^\$(\d+)/.exec(src.slice(i)) || /^\$\{(\d+)\}/.exec(src.slice(i));
      if (m) { out += `\0${m[1]}\0`; i += m[0].length; continue; }
      m = /^\$\{(\d+)\|((?:[^|\\]|\\.)*)\|\}/.exec(src.slice(i));
      if (m) {
        const first = m[2].split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
        defaults[m[1]] = first; out += first; i += m[0].length; continue;
      }
      m = /^\$\{(\d+|[A-Za-z_]\w*):/.exec(src.slice(i));
      if (m) {
        i += m[0].length;
        const text = parse(true);
        i++;  // the closing }
        if (/^\d+$/.test(m[1])) defaults[m[1]] = text;
        out += text;
        continue;
      }
      m = /^\$([A-Za-z_]\w*)/.exec(src.slice(i)) || /^\$\{([A-Za-z_]\w*)\}/.exec(src.slice(i));
      if (m) { out += m[1]; i += m[0].length; continue; }  // unknown variable: its name
      throw new Error('cannot read the snippet at: ' + src.slice(i, i + 20));
    }
    if (stop) throw new Error('unclosed ${ in snippet');
    return out;
  }
  const text = parse(false);
  return text.replace(/\0(\d+)\0/g, (_, n) => defaults[n] || '');
}

const [deal, tmp] = process.argv.slice(2);
const file = path.join(__dirname, '..', '..', 'editors', 'vscode', 'snippets', 'deal.code-snippets');
const snippets = JSON.parse(fs.readFileSync(file, 'utf8'));
fs.mkdirSync(tmp, { recursive: true });

function run(args) {
  const r = spawnSync(deal, args, { encoding: 'utf8', timeout: 60000 });
  return { ok: r.status === 0, out: `${r.stdout || ''}${r.stderr || ''}${r.error ? r.error.message : ''}` };
}
// Does `code` compile as .deal (the translator only)?
function compiles(code, name) {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, code);
  return run(['--translate', f]).ok;
}

let before = '';
for (const [title, s] of Object.entries(snippets)) {
  const prefixes = [].concat(s.prefix).join('/');
  let text;
  try {
    text = expand(s.body);
  } catch (e) {
    console.log(`not ok - vscode snippet ${prefixes}\n#   ${e.message}`);
    continue;
  }
  const statement = compiles(`${before}${text}\n`, 'statement.deal');
  const code = statement ? `${before}${text}\n` : `${before}print(${text})\n`;
  const f = path.join(tmp, `snippet-${prefixes.replace(/\W/g, '_')}.deal`);
  fs.writeFileSync(f, code);
  const r = run(['check', f]);
  if (r.ok) {
    console.log(`ok - vscode snippet ${prefixes}`);
  } else {
    console.log(`not ok - vscode snippet ${prefixes} (${title})`);
    for (const l of `${text}\n--\n${r.out}`.split('\n').slice(0, 12)) console.log(`#   ${l}`);
  }
  if (statement && r.ok) before += `${text}\n`;
}

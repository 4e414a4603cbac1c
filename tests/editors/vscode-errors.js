// tests/editors/vscode-errors.js DIR: the `deal-check` problem matcher of
// editors/vscode/package.json applied, as VS Code applies a single-line
// pattern, to every line of real `deal` output captured by errors.sh;
// prints "OUTFILE FILE:LINE:COL SEVERITY" per match (issue 16).
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../editors/vscode/package.json'), 'utf8'));
const m = pkg.contributes.problemMatchers.find(m => m.name === 'deal-check');
const p = m.pattern;
const re = new RegExp(p.regexp);
for (const f of ['check.out', 'run.out']) {
  for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
    const r = re.exec(line);
    if (!r) continue;
    const sev = p.severity ? r[p.severity] : m.severity || 'error';
    const msg = r[p.message];
    if (!msg || /^(error|warning):/.test(msg)) { console.log(`${f} bad message: ${msg}`); continue; }
    console.log(`${f} ${r[p.file]}:${r[p.line]}:${r[p.column]} ${sev}`);
  }
}

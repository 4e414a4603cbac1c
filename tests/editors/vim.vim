" tests/editors/vim.vim: check editors/vim against editors/fixtures.
" Run (see tests/editors/run.sh):
"   vim -Nu NONE -i NONE -es -S tests/editors/vim.vim
" Writes TAP lines to $DEAL_TAP_OUT (one per fixture file, plus option checks).

let s:root = fnamemodify(resolve(expand('<sfile>:p')), ':h:h:h')
let s:out = []
exe 'set rtp^=' . fnameescape(s:root . '/editors/vim')
filetype plugin indent on
syntax on

" Neutral class -> Vim syntax groups (synIDattr(synID(l, c, 1), 'name')).
" A class missing here uses its nearest parent (number.x -> number).
let s:groups = {
  \ 'number': ['dealNumber', 'luaNumber'],
  \ 'number.scaled': ['dealScaled'],
  \ 'number.percent': ['dealPercent'],
  \ 'unit': ['dealUnit'],
  \ 'money': ['dealMoney'],
  \ 'currency': ['dealCurrency'],
  \ 'range': ['dealRange'],
  \ 'builtin': ['dealBuiltin'],
  \ 'library': ['luaFunc'],
  \ 'claim': ['dealClaim'],
  \ 'comment': ['luaComment', 'luaCommentDelimiter', 'luaTodo'],
  \ 'string': ['luaString', 'luaString2', 'luaStringDelimiter', 'luaSpecial'],
  \ 'keyword': ['luaStatement', 'luaFunction', 'luaCond', 'luaCondElse',
  \             'luaElse', 'luaRepeat', 'luaFor', 'luaOperator'],
  \ 'keyword.operator': ['luaOperator'],
  \ 'constant': ['luaConstant'],
  \ }

function! s:Required(cls) abort
  let c = a:cls
  while c != ''
    if has_key(s:groups, c)
      return s:groups[c]
    endif
    let c = c =~ '\.' ? substitute(c, '\.[^.]*$', '', '') : ''
  endwhile
  throw 'unknown class ' . a:cls
endfunction

function! s:Forbidden(cls) abort
  let r = []
  for [c, gs] in items(s:groups)
    if c ==# a:cls || stridx(c, a:cls . '.') == 0
      call extend(r, gs)
    endif
  endfor
  if empty(r)
    throw 'unknown class ' . a:cls
  endif
  return r
endfunction

" Parse one fixture: the header line is dropped, assertion lines are removed
" and refer to the last code line, as vscode-tmgrammar-test does.
function! s:Parse(file) abort
  let src = []
  let checks = []
  let lines = readfile(a:file)
  for i in range(1, len(lines) - 1)
    let l = lines[i]
    if l !~ '^--\s*\%(\^\|<\~*-\+\)'
      call add(src, l)
      continue
    endif
    let spans = []
    if l =~ '^--\s*\^'
      let spec = matchstr(l, '^.*\^\zs.*$')
      let start = 0
      while 1
        let s = match(l, '\^\+', start)
        if s < 0 | break | endif
        let e = matchend(l, '\^\+', start)
        call add(spans, [s, e])
        let start = e
      endwhile
    else
      let m = matchlist(l, '^--\s*<\(\~*\)\(-\+\)\(.*\)$')
      let spec = m[3]
      call add(spans, [len(m[1]), len(m[1]) + len(m[2])])
    endif
    let parts = split(' ' . spec, '\s-\%(\s\|$\)', 1)
    let req = split(parts[0])
    let forb = len(parts) > 1 ? split(parts[1]) : []
    for [s, e] in spans
      call add(checks, {'line': len(src), 'from': s, 'to': e, 'req': req,
            \ 'forb': forb, 'fixline': i + 1})
    endfor
  endfor
  return [src, checks]
endfunction

function! s:CheckFixture(file) abort
  let [src, checks] = s:Parse(a:file)
  enew!
  setlocal buftype=nofile noswapfile
  call setline(1, src)
  setfiletype deal
  let errs = []
  for c in checks
    if c.to > len(src[c.line - 1])
      call add(errs, printf('%d: assertion runs past the end of the line', c.fixline))
    endif
    for col in range(c.from + 1, c.to)
      let name = synIDattr(synID(c.line, col, 1), 'name')
      for cls in c.req
        if index(s:Required(cls), name) < 0
          call add(errs, printf('%d:%d expected %s, got %s', c.fixline, col, cls,
                \ name == '' ? 'nothing' : name))
        endif
      endfor
      for cls in c.forb
        if index(s:Forbidden(cls), name) >= 0
          call add(errs, printf('%d:%d must not be %s, got %s', c.fixline, col, cls, name))
        endif
      endfor
    endfor
  endfor
  bwipe!
  return errs
endfunction

function! s:Tap(name, errs) abort
  call add(s:out, (empty(a:errs) ? 'ok' : 'not ok') . ' - vim ' . a:name)
  for e in a:errs[:9]
    call add(s:out, '#   ' . e)
  endfor
endfunction

for f in sort(glob(s:root . '/editors/fixtures/*.deal', 0, 1))
  try
    let errs = s:CheckFixture(f)
  catch
    let errs = [v:exception]
  endtry
  call s:Tap('fixtures/' . fnamemodify(f, ':t'), errs)
endfor

" ftdetect, ftplugin options and their undo.
let s:tmp = tempname() . '.deal'
call writefile(['local x = 1.2 GW', 'if x then', 'y = 2', 'end'], s:tmp)
exe 'edit ' . fnameescape(s:tmp)
let errs = []
if &filetype !=# 'deal' | call add(errs, 'filetype is ' . &filetype) | endif
if b:current_syntax !=# 'deal' | call add(errs, 'syntax is ' . b:current_syntax) | endif
call s:Tap('ftdetect', errs)

let errs = []
for [opt, want] in [['commentstring', '-- %s'], ['makeprg', 'deal check %'],
      \ ['comments', ':---,:--'], ['indentexpr', 'GetDealIndent(v:lnum)'],
      \ ['shiftwidth', 2], ['softtabstop', 2], ['expandtab', 1]]
  exe 'let got = &l:' . opt
  if got !=# want | call add(errs, opt . ' is ' . string(got)) | endif
endfor
call s:Tap('ftplugin options', errs)

" 'errorformat' is tested on real deal output: vim-errors.vim.

let errs = []
try
  exe b:undo_ftplugin
  for opt in ['makeprg', 'commentstring', 'shiftwidth', 'softtabstop', 'expandtab']
    exe 'let [loc, glob] = [&l:' . opt . ', &g:' . opt . ']'
    if loc !=# glob | call add(errs, opt . ' not restored: ' . string(loc)) | endif
  endfor
catch
  call add(errs, v:exception)
endtry
call s:Tap('undo_ftplugin', errs)

let errs = []
exe 'edit! ' . fnameescape(s:tmp)
normal! gg=G
if getline(3) !=# '  y = 2' || getline(4) !=# 'end'
  call add(errs, 'reindent gave ' . string(getline(1, '$')))
endif
if !exists('b:undo_indent') | call add(errs, 'no b:undo_indent') | endif
call s:Tap('indent', errs)

" Strip-and-reindent: each example model and the indentation cases lose the
" indentation of every line (except inside long strings and comments), get
" `gg=G` with the ftplugin's settings, and must come back as written.
function! s:Reindent(file) abort
  let want = readfile(a:file)
  let stripped = []
  let long = ''
  for l in want
    call add(stripped, empty(long) ? substitute(l, '^\s\+', '', '') : l)
    if empty(long)
      let m = matchlist(l, '\[\(=*\)\[')
      if !empty(m) && stridx(l, ']' . m[1] . ']', stridx(l, m[0]) + len(m[0])) < 0
        let long = ']' . m[1] . ']'
      endif
    elseif stridx(l, long) >= 0
      let long = ''
    endif
  endfor
  let tmp = tempname() . '.deal'
  call writefile(stripped, tmp)
  exe 'edit! ' . fnameescape(tmp)
  normal! gg=G
  let errs = []
  for i in range(len(want))
    if getline(i + 1) !=# want[i]
      call add(errs, printf('line %d: want %s', i + 1, string(want[i])))
      call add(errs, printf('  got %s', string(getline(i + 1))))
    endif
  endfor
  bwipe!
  call delete(tmp)
  return errs
endfunction

for f in sort(glob(s:root . '/examples/*.deal', 0, 1))
      \ + sort(glob(s:root . '/editors/fixtures/indent/*.deal', 0, 1))
  try
    let errs = s:Reindent(f)
  catch
    let errs = [v:exception]
  endtry
  call s:Tap('indent ' . fnamemodify(f, ':h:t') . '/' . fnamemodify(f, ':t'), errs)
endfor
call delete(s:tmp)

call writefile(s:out, empty($DEAL_TAP_OUT) ? '/dev/stdout' : $DEAL_TAP_OUT)
qall!

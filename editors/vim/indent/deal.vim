" Vim indent file
" Language:	Dealscript (.deal)
" Maintainer:	Dealscript developers
" Last Change:	2025 Jun 01
"
" Lua's block structure plus continuation lines, as the example models are
" written (editors/emacs/deal-mode.el implements the same rules):
"   * after `function`, `then`, `do`, `repeat`, `else`, or a bracket that
"     ends its line: one 'shiftwidth' more than that line;
"   * after a bracket followed by more text on its line, e.g.
"     `claim("…",` or `x { a = 1,`: the column of that text (alignment),
"     unless the line would then run past g:deal_indent_align_limit (80)
"     columns: then one 'shiftwidth' more than the bracket's line;
"   * a line starting with `end`, `until`, `else`, `elseif`, `)`, `}` or
"     `]`: the indentation of the line holding the matching opener;
"   * after a line that closes brackets opened on earlier lines: the
"     indentation of the statement the outermost of them belongs to;
"   * an expression continued after a binary operator (`a +` at the end of
"     a line, or `and b` at the start of the next): one 'shiftwidth' more
"     than its first line;
"   * lines inside long strings and comments keep their indentation.
" Strings and comments are skipped by a small lexer (s:Code), not by syntax
" groups: synID() after every reindented line made `gg=G` take 96 s on a
" 17,000-line model. Syntax is asked only whether a line starts inside a
" long string or comment, and only when a `[[` or `[=[` precedes it.

if exists("b:did_indent")
  finish
endif
let b:did_indent = 1

setlocal indentexpr=GetDealIndent(v:lnum)
setlocal indentkeys=0{,0},0),0],!^F,o,O,e,0=end,0=until,0=elseif
setlocal autoindent
setlocal nolisp nosmartindent

let b:undo_indent = "setlocal autoindent< indentexpr< indentkeys< lisp< smartindent<"

if exists("*GetDealIndent")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

let s:token = '\v[(){}\[\]]|<%(function|do|then|repeat|end|until|else|elseif)>'
let s:openers = ['(', '{', '[', 'function', 'do', 'then', 'repeat']
let s:closers = [')', '}', ']', 'end', 'until', 'elseif']
let s:closer_first = '\v^\s*%([)}\]]|%(end|until|else|elseif)>)'
" A binary operator ending a line, or starting the next, continues it. A `%`
" right after a digit is a percentage (5%), not the modulo operator.
let s:op_end = '\v%(%([-+*/^&|<>=~]|\.\.|<and|<or)|%(\d)@<!\%)$'
let s:op_start = '\v^\s*%(<and>|<or>|\.\.%(\.)@!|[*/%^&|<>=~+])'
" Long strings and comments further back than this many lines are not seen.
let s:long_reach = 2000

" {{{ Lexer

" s:Lex results by line text and start state: `gg=G` reads each line several
" times.
let s:lexed = {}

" Lexes one line from `state` ('' in code, else the `]=*]` that closes the
" long string or comment it starts in). Returns [code, state at its end],
" where code is the line with string contents replaced by 'x' and comments
" by blanks: the same length, so columns match.
function! s:Lex(line, state) abort
  let line = a:line
  let n = len(line)
  let out = ''
  let i = 0
  let state = a:state
  if state !=# ''
    let e = stridx(line, state)
    if e < 0
      return [repeat(' ', n), state]
    endif
    let i = e + len(state)
    let out = repeat(' ', i)
    let state = ''
  endif
  while i < n
    let s = match(line, '["'']\|--\|\[=*\[', i)
    if s < 0
      return [out . strpart(line, i), '']
    endif
    let out .= strpart(line, i, s - i)
    let c = line[s]
    if c ==# '"' || c ==# "'"
      let j = s + 1
      while j < n && line[j] !=# c
        let j += line[j] ==# '\' ? 2 : 1
      endwhile
      let j = min([j, n - 1])
      let out .= c . repeat('x', j - s - 1) . (j > s ? line[j] : '')
      let i = j + 1
      continue
    endif
    let long = matchstr(line, '^\%(--\)\=\[=*\[', s)
    if long ==# ''  " a line comment
      return [out . repeat(' ', n - s), '']
    endif
    let close = ']' . repeat('=', len(matchstr(long, '=*'))) . ']'
    let e = stridx(line, close, s + len(long))
    let blank = long[0] ==# '-' ? ' ' : 'x'
    if e < 0
      return [out . repeat(blank, n - s), close]
    endif
    let out .= repeat(blank, e + len(close) - s)
    let i = e + len(close)
  endwhile
  return [out, '']
endfunction

" The nearest line before lnum that holds a `[[` or `[=[` (0: none within
" s:long_reach lines). `gg=G` asks for lines 1, 2, 3, ... in turn: then only
" the line just passed is searched.
function! s:LongBefore(lnum) abort
  let n = get(b:, 'deal_indent_near', {})
  if get(n, 'lnum', -1) == a:lnum - 1 && n.lines == line('$')
        \ && (n.m == 0 || getline(n.m) =~ '\[=*\[')
    let m = getline(a:lnum - 1) =~ '\[=*\[' ? a:lnum - 1 : n.m
  else
    let save = getcurpos()
    call cursor(a:lnum, 1)
    let m = searchpos('\[=*\[', 'bnW', max([1, a:lnum - s:long_reach]))[0]
    call setpos('.', save)
  endif
  let m = m >= a:lnum - s:long_reach ? m : 0
  let b:deal_indent_near = {'lnum': a:lnum, 'm': m, 'lines': line('$')}
  return m
endfunction

" The state line lnum starts in: '' (code) or the `]=*]` closing the long
" string or comment it starts inside.
function! s:StartState(lnum) abort
  if has_key(s:state, a:lnum)
    return s:state[a:lnum]
  endif
  if a:lnum == s:current
    let m = s:long
  elseif s:long == 0 || s:long < a:lnum
    let m = s:long
  else
    let save = getcurpos()
    call cursor(a:lnum, 1)
    let m = searchpos('\[=*\[', 'bnW', max([1, a:lnum - s:long_reach]))[0]
    call setpos('.', save)
  endif
  let state = ''
  if m > 0 && exists('b:current_syntax') && getline(a:lnum) !=# ''
    " Syntax knows: column 1 is in a string or comment that the line itself
    " does not open. The level comes from the nearest opener.
    if synIDattr(synID(a:lnum, 1, 0), 'name') =~? 'comment\|string'
          \ && getline(a:lnum) !~ '^\%(--\|["'']\|\[=*\[\)'
      let state = ']' . matchstr(getline(m), '\[\zs=*\ze\[') . ']'
    endif
  elseif m > 0
    " No syntax: lex forward from that line.
    for l in range(m, a:lnum - 1)
      let state = s:Lex(getline(l), state)[1]
    endfor
  endif
  let s:state[a:lnum] = state
  return state
endfunction

" The line as code (see s:Lex), and whether it starts inside a long string or
" comment.
function! s:Code(lnum) abort
  if !has_key(s:code, a:lnum)
    let line = getline(a:lnum)
    if a:lnum == 1 && line =~ '^#'  " #!/usr/bin/env deal
      let s:code[1] = [repeat(' ', len(line)), 0]
    else
      let state = s:long == 0 ? '' : s:StartState(a:lnum)
      let key = state . "\n" . line
      if !has_key(s:lexed, key)
        if len(s:lexed) > 50000
          let s:lexed = {}
        endif
        let s:lexed[key] = s:Lex(line, state)
      endif
      let s:code[a:lnum] = [s:lexed[key][0], state !=# '']
    endif
  endif
  return s:code[a:lnum]
endfunction

" }}}

" The nearest line above lnum with code on it (0 if none): not blank, not
" only a comment, not inside a long string or comment.
function! s:PrevCode(lnum) abort
  if !has_key(s:prev, a:lnum)
    let p = a:lnum - 1
    while p > 0
      if getline(p) =~ '\S'
        let [code, inlong] = s:Code(p)
        if !inlong && code =~ '\S'
          break
        endif
      endif
      let p -= 1
    endwhile
    let s:prev[a:lnum] = p
  endif
  return s:prev[a:lnum]
endfunction

" The code tokens of a line: [[col, text], ...] (col is 1-based).
function! s:Tokens(lnum) abort
  let code = s:Code(a:lnum)[0]
  let out = []
  let start = 0
  while 1
    let [tok, s, e] = matchstrpos(code, s:token, start)
    if s < 0
      return out
    endif
    call add(out, [s + 1, tok])
    let start = e
  endwhile
endfunction

" What a line leaves open, reading its tokens before column `upto` (0: all):
" {'stack': openers left open [[col, tok], ...], 'closers': tokens closing
" something opened on an earlier line}. `else` closes, then opens.
function! s:Scan(lnum, upto) abort
  if a:upto == 0 && has_key(s:scanned, a:lnum)
    return s:scanned[a:lnum]
  endif
  let stack = []
  let closers = []
  for [col, tok] in s:Tokens(a:lnum)
    if a:upto > 0 && col >= a:upto
      break
    endif
    if index(s:closers, tok) >= 0 || tok ==# 'else'
      if empty(stack)
        call add(closers, [col, tok])
      else
        call remove(stack, -1)
      endif
    endif
    if index(s:openers, tok) >= 0 || tok ==# 'else'
      call add(stack, [col, tok])
    endif
  endfor
  let st = {'stack': stack, 'closers': closers}
  if a:upto == 0
    let s:scanned[a:lnum] = st
  endif
  return st
endfunction

" The opener matching the closer at (lnum, col): [lnum, col] or [0, 0].
function! s:Opener(lnum, col) abort
  let depth = 0
  let lnum = a:lnum
  while lnum > 0
    let toks = reverse(filter(s:Tokens(lnum), lnum == a:lnum ? 'v:val[0] < a:col' : '1'))
    for [col, tok] in toks
      if tok ==# 'else'
        if depth == 0
          return [lnum, col]
        endif
      elseif index(s:closers, tok) >= 0
        let depth += 1
      elseif index(s:openers, tok) >= 0
        if depth == 0
          return [lnum, col]
        endif
        let depth -= 1
      endif
    endfor
    let lnum -= 1
  endwhile
  return [0, 0]
endfunction

" The indentation of line `cur` inside the opener [col, tok] of line lnum:
" the column of the text after a bracket if `cur` fits there, else one
" 'shiftwidth' more than the opener's line.
function! s:Inside(lnum, opener, cur) abort
  let [col, tok] = a:opener
  if tok =~ '^[({[]$'
    let next = match(s:Code(a:lnum)[0], '\S', col)
    if next >= 0
      let align = strdisplaywidth(strpart(getline(a:lnum), 0, next))
      let limit = get(b:, 'deal_indent_align_limit', get(g:, 'deal_indent_align_limit', 80))
      if align + strdisplaywidth(trim(getline(a:cur))) <= limit
        return align
      endif
    endif
  endif
  return indent(a:lnum) + shiftwidth()
endfunction

function! s:EndsWithOperator(lnum) abort
  return substitute(s:Code(a:lnum)[0], '\s\+$', '', '') =~ s:op_end
endfunction

function! s:StartsWithOperator(lnum) abort
  return s:Code(a:lnum)[0] =~ s:op_start
endfunction

" The first line of the statement line lnum belongs to, following
" continuation lines back (not across a line that leaves a bracket open).
function! s:StatementStart(lnum) abort
  let lnum = a:lnum
  while 1
    let q = s:PrevCode(lnum)
    if q == 0 || !(s:EndsWithOperator(q) || s:StartsWithOperator(lnum))
      return lnum
    endif
    let st = s:Scan(q, 0)
    if !empty(st.stack) || !empty(st.closers)
      return lnum
    endif
    let lnum = q
  endwhile
endfunction

" Indentation for line `cur` after line p, read up to column `upto` (0: all):
" inside what p leaves open, else after the statement that p's closers end.
function! s:After(p, upto, cur) abort
  let st = s:Scan(a:p, a:upto)
  if !empty(st.stack)
    return s:Inside(a:p, st.stack[-1], a:cur)
  endif
  if !empty(st.closers)
    let [ol, oc] = s:Opener(a:p, st.closers[-1][0])
    if ol > 0
      return s:After(ol, oc, a:cur)
    endif
  endif
  return indent(s:StatementStart(a:p))
endfunction

" Per call: the lines already lexed, their start states, scans and previous
" code lines, and the line of the nearest long bracket before the line being
" indented.
let s:code = {}
let s:state = {}
let s:scanned = {}
let s:prev = {}
let s:current = 0
let s:long = 0

function! GetDealIndent(lnum) abort
  let s:code = {}
  let s:state = {}
  let s:scanned = {}
  let s:prev = {}
  let s:current = a:lnum
  let s:long = s:LongBefore(a:lnum)
  let [code, inlong] = s:Code(a:lnum)
  if inlong
    return -1
  endif
  " A closer first: the indentation of the line of its opener.
  if code =~ s:closer_first
    let [ol, oc] = s:Opener(a:lnum, match(code, '\S') + 1)
    if ol > 0
      return indent(ol)
    endif
  endif
  let p = s:PrevCode(a:lnum)
  if p == 0
    return 0
  endif
  let st = s:Scan(p, 0)
  if !empty(st.stack)
    return s:Inside(p, st.stack[-1], a:lnum)
  endif
  let ind = s:After(p, 0, a:lnum)
  if s:EndsWithOperator(p) || code =~ s:op_start
    let ind += shiftwidth()
  endif
  return ind
endfunction

let &cpo = s:cpo_save
unlet s:cpo_save
" vim: et ts=8 sw=2 fdm=marker

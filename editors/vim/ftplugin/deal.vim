" Vim filetype plugin file
" Language:	Dealscript (.deal)
" Maintainer:	Dealscript developers
" Last Change:	2025 Jun 01

if exists("b:did_ftplugin")
  finish
endif

" Lua's options (comments, define, includeexpr, matchit words) apply as is.
runtime! ftplugin/lua.vim ftplugin/lua_*.vim ftplugin/lua/*.vim
let b:did_ftplugin = 1

let s:cpo_save = &cpo
set cpo&vim

setlocal comments=:---,:--
setlocal commentstring=--\ %s
setlocal suffixesadd=.deal,.lua
" The example models indent by two spaces.
setlocal shiftwidth=2 softtabstop=2 expandtab

" :make runs the file's claims. deal and deal check print every diagnostic
" as file:line:col: error: message (a failing claim at its claim( line),
" library warnings as file:line:col: warning: message; the source line and
" caret after a syntax error, tracebacks and the claims table are left out of
" the list (%-G), so :cnext goes from one diagnostic to the next.
setlocal makeprg=deal\ check\ %
setlocal errorformat=%f:%l:%c:\ %trror:\ %m,%f:%l:%c:\ %tarning:\ %m,%-G%.%#

let s:undo = "setl com< cms< sua< sw< sts< et< mp< efm<"
if exists("b:undo_ftplugin")
  let b:undo_ftplugin ..= " | " .. s:undo
else
  let b:undo_ftplugin = s:undo
endif
unlet s:undo

let &cpo = s:cpo_save
unlet s:cpo_save
" vim: et ts=8 sw=2

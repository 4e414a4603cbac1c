" Vim indent file
" Language:	Dealscript (.deal)
" Maintainer:	Dealscript developers
" Last Change:	2025 Jun 01
"
" Dealscript blocks are Lua blocks: reuse Lua's indent (it sets b:did_indent
" and b:undo_indent).

if exists("b:did_indent")
  finish
endif

runtime! indent/lua.vim
" vim: et ts=8 sw=2

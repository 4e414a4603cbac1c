" Vim syntax file
" Language:	Dealscript (.deal): Lua 5.4 plus unit, money and range literals
" Maintainer:	Dealscript developers
" Last Change:	2025 Jun 01
"
" The Lua part is Vim's own syntax/lua.vim; this file adds the literal forms
" of the dialect (see editors/fixtures/README.md for the exact rules):
"   numbers   1_000_000  500k 1.2M 21B 3T   5% 25bp   (5 % 3 and 5%x are modulo)
"   units     1.2 GW  4.6 PFLOP/s  64 chip/rack  3 m^2  2 kW*h
"   money     $21B  $0.06/kWh  $184/kW/month   EUR 3M  GBP 40k
"   ranges    20k to 40k   $15k to $25k   100 kW to 130 kW
" plus the preloaded modules and analysis functions (chips, claim, P, ...).

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" .deal scripts are Lua 5.4; ask lua.vim for 5.4 unless the user chose.
let s:set_lua_version = !exists("g:lua_version")
if s:set_lua_version
  let g:lua_version = 5
  let g:lua_subversion = 4
endif
runtime! syntax/lua.vim
unlet! b:current_syntax
if s:set_lua_version
  unlet! g:lua_version g:lua_subversion
endif
unlet s:set_lua_version

" Every pattern below starts with s:re: the backtracking engine (\%#=1), in
" very magic mode. Most patterns open with a look-behind, which the NFA
" engine evaluates at every column at great cost: paging through a
" 17,000-line model took 435-480 ms per page with it and 6-9 ms with \%#=1
" (4.5-6 ms for the same text as .lua; tests/editors/vim-scroll.sh).
let s:re = '\%#=1\v'
" Pattern pieces.
let s:dec = '%(\d[0-9_]*%(\.[0-9_]*)?|\.\d[0-9_]*)%([eE][-+]?\d[0-9_]*)?'
let s:scale = '[kMBT]'
let s:factor = '[A-Za-z_]\w*%(\^-?\d+)?'
let s:unit = s:factor . '%([/*]' . s:factor . ')*'
let s:kw = '%(and|break|do|else|elseif|end|false|for|function|goto|if|in|local|nil|not|or|repeat|return|then|true|until|while|to)>'
let s:cur = 'USD|EUR|GBP|JPY|CNY'
let s:nb = '%(\w|\.)@1<!'
" After '5%': an operand means '%' is the modulo operator (5 % 3, 5%x).
let s:operand = '%(-%(-)@!|[ \t]*%([0-9\x22\x27({#$]|\.\d|\.\.\.|\~%(\=)@!|\[[=[]|'
      \ . '%(%(and|break|do|else|elseif|end|for|goto|if|in|local|or|repeat|return|then|until|while|to)>)@![A-Za-z_]))'

" Later items win over earlier ones that start at the same column, so the
" plain number comes first and the number-with-unit forms last.
exe 'syn match dealNumber "' . s:re . s:nb . '%(0[xX]\x[0-9a-fA-F_]*%(\.\x*)?%([pP][-+]?\d+)?|' . s:dec . ')\w@!"'
exe 'syn match dealScaled "' . s:re . s:nb . s:dec . s:scale . '\w@!"'
exe 'syn match dealPercent "' . s:re . s:nb . s:dec . '%(\%' . s:operand . '@!|bp\w@!)"'
exe 'syn match dealNumber "' . s:re . s:nb . s:dec . '\ze[ \t]+%(' . s:kw . ')@!' . s:unit . '\w@!" nextgroup=dealUnit skipwhite'
exe 'syn match dealScaled "' . s:re . s:nb . s:dec . s:scale . '\ze[ \t]+%(' . s:kw . ')@!' . s:unit . '\w@!" nextgroup=dealUnit skipwhite'
exe 'syn match dealUnit contained "' . s:re . s:unit . '"'

exe 'syn match dealMoney "' . s:re . '\$' . s:dec . s:scale . '?%([/*]' . s:unit . ')?\w@!"'
exe 'syn match dealCurrency "' . s:re . '<%(' . s:cur . ')>\ze[ \t]+%(\d|\.\d)" nextgroup=dealMoney skipwhite'
exe 'syn match dealMoney contained "' . s:re . s:dec . s:scale . '?%([/*]' . s:unit . ')?\w@!"'

" 'to' is the range operator only between two values: after a value (not
" after a keyword such as local, or after . and :) and before one. The match
" starts at the blanks before 'to' (\zs leaves them unhighlighted), so the
" look-behinds see one character and one keyword, however many blanks.
exe 'syn match dealRange "' . s:re . '%([0-9A-Za-z_)\]%])@1<='
      \ . '%(<%(local|function|return|if|elseif|while|until|not|and|or|in|for|goto|then|do|else|repeat))@9<!'
      \ . '[ \t]+\zs<to>%([ \t]+%([$(0-9A-Za-z_]|\.\d|-[0-9$.(]))@='
      \ . '%([ \t]+%(and|or|then|do|end|else|elseif|until|in)>)@!"'

exe 'syn match dealClaim "' . s:re . '%([.:])@1<!<claim>"'
exe 'syn match dealBuiltin "' . s:re . '%([.:])@1<!<%(chips|racks|sites|contracts|finance|deal|units|num)>"'
exe 'syn match dealBuiltin "' . s:re . '%([.:])@1<!<%(P|mean|median|quantile|ci|sd|hist|sensitivity|where)>"'
exe 'syn match dealBuiltin "' . s:re . '%([.:])@1<!<%(normal|lognormal|uniform|triangular|pert|beta|gamma|chance|discrete|mixture|samples|correlate)>"'

hi def link dealNumber		Number
hi def link dealScaled		Number
hi def link dealPercent		Number
hi def link dealUnit		Type
hi def link dealMoney		Float
hi def link dealCurrency	Type
hi def link dealRange		Operator
hi def link dealBuiltin		Function
hi def link dealClaim		Special

let b:current_syntax = "deal"

let &cpo = s:cpo_save
unlet s:cpo_save
" vim: nowrap sw=2 sts=2 ts=8 noet:

" tests/editors/vim-errors.vim: Vim's quickfix on real `deal` output (issue
" 16). Run from the repository root with DEAL_DIAG_DIR (made by errors.sh)
" and DEAL_TAP_OUT: for each captured output, :cfile with the deal buffer's
" 'errorformat', then :cfirst/:cnext through every entry, writing
" "OUTFILE FILE:LINE:COL TYPE" of the place Vim opened (the message must not
" keep its "error:").
set nocompatible
let &runtimepath = getcwd() . '/editors/vim,' . &runtimepath
filetype plugin on
exe 'cd ' . fnameescape($DEAL_DIAG_DIR)
let s:out = []
for s:f in ['check.out', 'run.out']
  edit models/claim.deal
  if &filetype !=# 'deal' | call add(s:out, 'not a deal buffer: ' . &filetype) | endif
  exe 'cfile ' . s:f
  let s:valid = filter(getqflist(), 'v:val.valid')
  let s:types = map(copy(s:valid), 'v:val.type')
  for s:e in s:valid
    if s:e.text =~# '^\(error\|warning\):' || s:e.text ==# ''
      call add(s:out, 'the message keeps its severity or is empty: ' . s:e.text)
    endif
  endfor
  try
    cfirst
    let s:i = 0
    while 1
      let s:t = get(s:types, s:i, '?')
      call add(s:out, s:f . ' ' . expand('%') . ':' . line('.') . ':' . col('.') . ' '
            \ . (s:t ==? 'w' ? 'warning' : s:t ==? 'e' ? 'error' : 'type ' . s:t))
      let s:i += 1
      cnext
    endwhile
  catch /E553\|E42/
  endtry
endfor
call writefile(s:out, $DEAL_TAP_OUT)
qall!

" tests/editors/vim-scroll.vim: page through each file of $DEAL_SCROLL_FILES
" with Ctrl-F, redrawing after every page, and append one line per file to
" $DEAL_SCROLL_OUT:
"   FILE FILETYPE LINES PAGES MS_PER_PAGE RANGES
" where RANGES counts the columns of the first page drawn as dealRange (a
" check that the deal syntax was really in use). Run on a terminal
" (tests/editors/onpty.py): under -es nothing is drawn.
let s:root = fnamemodify(resolve(expand('<sfile>:p')), ':h:h:h')
exe 'set rtp^=' . fnameescape(s:root . '/editors/vim')
filetype plugin indent on
syntax on
set nomore noswapfile laststatus=0 noruler noshowcmd

let s:out = []
for s:file in split($DEAL_SCROLL_FILES)
  exe 'edit ' . fnameescape(s:file)
  normal! gg
  redraw!
  let s:ranges = 0
  for s:l in range(line('w0'), line('w$'))
    for s:c in range(1, col([s:l, '$']) - 1)
      let s:ranges += synIDattr(synID(s:l, s:c, 1), 'name') ==# 'dealRange'
    endfor
  endfor
  let s:pages = 0
  let s:start = reltime()
  while line('w$') < line('$')
    exe "normal! \<C-f>"
    redraw
    let s:pages += 1
  endwhile
  let s:ms = reltimefloat(reltime(s:start)) * 1000.0 / max([s:pages, 1])
  call add(s:out, printf('%s %s %d %d %.2f %d', fnamemodify(s:file, ':t'), &filetype,
        \ line('$'), s:pages, s:ms, s:ranges))
  bwipe!
endfor
call writefile(s:out, $DEAL_SCROLL_OUT, 'a')
qall!

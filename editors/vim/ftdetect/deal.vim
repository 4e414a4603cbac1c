" Dealscript (.deal): Lua 5.4 plus number, unit, money and range literals.
au BufNewFile,BufRead *.deal setfiletype deal

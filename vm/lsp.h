/*
** vm/lsp.h
** `deal lsp`: the language server over standard input and output (lsp.c;
** docs/lsp.md).
*/
#ifndef DEAL_LSP_H
#define DEAL_LSP_H

/* argv[0] is "lsp"; returns the exit status: 0 after shutdown and exit,
** 1 when the client went away without them, 2 on usage errors. */
int lsp_main(int argc, char **argv);
#endif

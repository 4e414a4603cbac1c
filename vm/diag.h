/*
** vm/diag.h
** Diagnostics in the form compilers print and editors read (GNU):
**   file:line:col: error: message
** for every error of deal and deal check (diag.c).
*/
#ifndef DEAL_DIAG_H
#define DEAL_DIAG_H
#include <stddef.h>
#include <stdio.h>

/* The position an error message starts with: Lua's "chunk:12: text", or
** the translator's "chunk:12:7: text". */
typedef struct DiagPos {
  const char *file;      /* into the message, filelen bytes */
  size_t filelen;
  long line, col;        /* col: 1 when the message gives none */
  const char *text;      /* the message after the position */
} DiagPos;

/* 1 and *p when the first line of msg starts with a position, else 0. */
int diag_parse(const char *msg, DiagPos *p);
/* Prints msg to f: "file:line:col: error: text" when it has a position,
** else "prefix: text" (prefix: "deal", or "model.deal: error"); the lines
** after the first (a source line and caret, a traceback) follow
** unchanged. path (or NULL): the model's path, which Lua shortens to
** "...tail" in positions when it is long: such a position gets it back. */
void diag_print(FILE *f, const char *prefix, const char *msg, const char *path);
/* The first line of the same into buf (size n, always terminated), with
** no allocation and no stdio: for a signal handler. */
void diag_format(char *buf, size_t n, const char *prefix, const char *msg, const char *path);
/* A failing claim at its claim( line: "file:line:1: error: claim fails:
** text (P = 0.15 < 0.9)" (no P for an exact one, value 0; value -1 for an
** uncertain one); file NULL or line 0: "prefix: claim fails: ...". path
** as for diag_print. */
void diag_claim(FILE *f, const char *prefix, const char *file, long line, const char *text,
                int value, double p, double threshold, const char *path);
#endif

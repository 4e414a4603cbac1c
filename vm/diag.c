/*
** vm/diag.c
** One rule for every diagnostic of deal and deal check, the GNU form that
** Vim's quickfix, Emacs's compilation mode and VS Code's problem matchers
** read:
**   model.deal:4:1: error: cannot add Power and Time: 1 GW + 1 h
** An error message that starts with a position keeps its file and line,
** and its column when it has one (the translator's syntax errors point at
** the character). Lua's runtime errors know only the line: their column is
** 1. A message without a position is "prefix: message" (the program, or
** the file it is about). Lines after the first (the source line and caret
** of a syntax error, a traceback) follow unchanged. See docs/cli.md.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "num.h"

/* Digits at s: their value in *v and the first byte after them (s itself
** when there are none). */
static const char *digits(const char *s, long *v) {
  *v = 0;
  while (*s >= '0' && *s <= '9' && *v < 100000000) *v = *v * 10 + (*s++ - '0');
  return s;
}

int diag_parse(const char *msg, DiagPos *p) {
  for (const char *c = msg; *c && *c != '\n' && c - msg < 1000; c++) {
    long line, col;
    if (c == msg || *c != ':') continue;
    const char *e = digits(c + 1, &line);
    if (e == c + 1 || *e != ':' || line <= 0) continue;
    p->file = msg;
    p->filelen = (size_t)(c - msg);
    p->line = line;
    p->col = 1;
    const char *f = digits(e + 1, &col);
    if (f != e + 1 && *f == ':' && col > 0) { p->col = col; e = f; }
    p->text = e + 1 + (e[1] == ' ');
    return 1;
  }
  return 0;
}

/* The file of a position: the model's path when Lua shortened it to
** "...tail" (LUA_IDSIZE) and the path ends with that tail. */
static void file_of(const DiagPos *p, const char *path, const char **f, int *len) {
  size_t n = path ? strlen(path) : 0;
  *f = p->file;
  *len = (int)p->filelen;
  if (p->filelen > 3 && memcmp(p->file, "...", 3) == 0 && n >= p->filelen - 3 &&
      memcmp(path + n - (p->filelen - 3), p->file + 3, p->filelen - 3) == 0) {
    *f = path;
    *len = (int)n;
  }
}

void diag_print(FILE *f, const char *prefix, const char *msg, const char *path) {
  DiagPos p;
  const char *file;
  int len;
  if (!diag_parse(msg, &p)) { fprintf(f, "%s: %s\n", prefix, msg); return; }
  file_of(&p, path, &file, &len);
  fprintf(f, "%.*s:%ld:%ld: error: %s\n", len, file, p.line, p.col, p.text);
}

void diag_format(char *buf, size_t n, const char *prefix, const char *msg, const char *path) {
  DiagPos p;
  const char *text = msg, *file;
  int k, len;
  if (diag_parse(msg, &p)) {
    file_of(&p, path, &file, &len);
    k = snprintf(buf, n, "%.*s:%ld:%ld: error: ", len, file, p.line, p.col);
    text = p.text;
  } else k = snprintf(buf, n, "%s: ", prefix);
  if (k < 0 || (size_t)k >= n) return;
  size_t tl = strcspn(text, "\n");
  snprintf(buf + k, n - (size_t)k, "%.*s", (int)tl, text);
}



void diag_claim(FILE *f, const char *prefix, const char *file, long line, const char *text,
                int value, double p, double threshold, const char *path) {
  char why[64] = "";
  if (value < 0) {                    /* an exact claim is simply false */
    char pc[32];
    num_probtext(pc, sizeof pc, p);   /* the rule of the claims tables */
    snprintf(why, sizeof why, " (P = %s < %g)", pc, threshold);
  }
  if (!file || line <= 0) { fprintf(f, "%s: claim fails: %s%s\n", prefix, text, why); return; }
  DiagPos pos = {file, strlen(file), line, 1, ""};
  const char *fname;
  int len;
  file_of(&pos, path, &fname, &len);
  fprintf(f, "%.*s:%ld:1: error: claim fails: %s%s\n", len, fname, line, text, why);
}

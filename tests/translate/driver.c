/*
** tests/translate/driver.c
** Runs deal_translate on a file and prints the Lua text (exit 0) or the
** error message (exit 1). With -n N it translates N times (benchmark) and
** prints the time per run on stderr. With -oom it makes allocation k fail,
** for k = 1, 2, ... until a translation succeeds, and checks that each
** failure says "not enough memory" and leaves no block allocated.
** A first argument -r translates as a model (TRANSLATE_RESULTS: the
** top-level bindings are kept, docs/results.md).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "translate.h"

static void *alloc(void *ud, void *p, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    free(p);
    return NULL;
  }
  return realloc(p, nsize);
}

static unsigned flags;   /* -r: TRANSLATE_RESULTS */

/* Counting allocator that fails the fail_at-th allocation or growth. */
static long live, nallocs, fail_at;
static void *failing_alloc(void *ud, void *p, size_t osize, size_t nsize) {
  (void)ud;
  (void)osize;
  if (nsize == 0) {
    if (p != NULL) live--;
    free(p);
    return NULL;
  }
  if (nsize > osize || p == NULL)
    if (++nallocs == fail_at) return NULL;
  if (p == NULL) live++;
  return realloc(p, nsize);
}

static int oom_sweep(const char *src, size_t len, const char *path) {
  char *out, err[4096];
  size_t outlen;
  for (fail_at = 1;; fail_at++) {
    nallocs = 0;
    if (deal_translatex(failing_alloc, NULL, src, len, path, &out, &outlen,
                        err, sizeof err, flags) == 0) {
      free(out);
      live--;
      printf("survived %ld allocation failures\n", fail_at - 1);
      return live == 0 ? 0 : 1;
    }
    if (live != 0 || (strcmp(err, "not enough memory") != 0 &&
                      nallocs >= fail_at)) {
      printf("failure %ld: live blocks %ld, message %s\n", fail_at, live, err);
      return 1;
    }
    if (nallocs < fail_at) {   /* failed without needing memory: a real error */
      printf("%s\n", err);
      return 0;
    }
  }
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0, got;
  if (f == NULL) return NULL;
  do {
    if (n == cap) {
      cap = cap ? cap * 2 : 65536;
      buf = realloc(buf, cap);
      if (buf == NULL) exit(2);
    }
    got = fread(buf + n, 1, cap - n, f);
    n += got;
  } while (got > 0);
  fclose(f);
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  const char *path;
  char *src, *out, err[4096];
  size_t len, outlen;
  int reps = 1, i, rc = 0;
  struct timespec t0, t1;
  if (argc > 1 && strcmp(argv[1], "-r") == 0) {
    flags = TRANSLATE_RESULTS;
    argc--, argv++;
  }
  if (argc == 3 && strcmp(argv[1], "-oom") == 0) {
    src = slurp(argv[2], &len);
    if (src == NULL) return 2;
    rc = oom_sweep(src, len, argv[2]);
    free(src);
    return rc;
  }
  if (argc == 4 && strcmp(argv[1], "-n") == 0) {
    reps = atoi(argv[2]);
    path = argv[3];
  } else if (argc == 2) {
    path = argv[1];
  } else {
    fprintf(stderr, "usage: driver [-r] [-n N | -oom] FILE.deal\n");
    return 2;
  }
  src = slurp(path, &len);
  if (src == NULL) {
    perror(path);
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (i = 0; i < reps; i++) {
    rc = deal_translatex(alloc, NULL, src, len, path, &out, &outlen, err,
                         sizeof err, flags);
    if (rc == 0 && i + 1 < reps) free(out);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (reps > 1)
    fprintf(stderr, "%.3f ms per translation of %zu bytes\n",
            ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) /
                reps,
            len);
  if (rc == 0) {
    fwrite(out, 1, outlen, stdout);
    free(out);
  } else {
    printf("%s\n", err);
  }
  free(src);
  return rc == 0 ? 0 : 1;
}

/*
** vm/hostutil.h
** Small helpers shared by the host's files (limits, loading, deal check).
*/
#ifndef DEAL_HOSTUTIL_H
#define DEAL_HOSTUTIL_H
#include <string.h>
#include <time.h>

/* Seconds on the monotonic clock: for deadlines, never for dates. */
static inline double host_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Does s end with suf? (".deal" decides the dialect of a file) */
static inline int host_endswith(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}
#endif

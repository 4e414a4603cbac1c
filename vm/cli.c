/*
** vm/cli.c
** The options of `deal` and its subcommands, in one table: each option's
** name, argument, kind, the field it sets, the commands that take it and
** its help. The parser, the usage text and the defaults shown in it all
** come from the table, so an option is written down once.
**
** The conventions are lua's: options come before the script (or the
** paths); "--" ends them; "-" runs standard input; -e and -l run in order;
** a short option takes its value attached or as the next word (-e'x=1',
** -e 'x=1'), a long one as the next word or after '=' (--seed=7). Errors
** exit with status 2 and the usage on stderr.
*/
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "defaults.h"
#include "mcshard.h"
#include "samples.h"

const CliCommand cli_deal = {
  CLI_DEAL, "deal", "[options] [script [args]]", 1, 0, DEAL_DEFAULT_TIMEOUT, DEAL_DEFAULT_MAX_MEMORY, 0
};
const CliCommand cli_check = {
  CLI_CHECK, "deal check", "[options] PATH...", 0, 0, DEAL_CHECK_TIMEOUT, DEAL_CHECK_MAX_MEMORY, 0
};
const CliCommand cli_report = {
  CLI_REPORT, "deal report", "MODEL -o FILE.html [options]", 1, 1, DEAL_DEFAULT_TIMEOUT,
  DEAL_DEFAULT_MAX_MEMORY, 0
};
/* The language server: the limits and samples of each run of a model. */
const CliCommand cli_lsp = {
  CLI_LSP, "deal lsp", "[options]", 0, 0, DEAL_LSP_TIMEOUT, DEAL_LSP_MAX_MEMORY, DEAL_LSP_SAMPLES
};
/* Parts of a sharded run merged into what the run prints (merge.c). */
const CliCommand cli_merge = {
  CLI_MERGE, "deal merge", "[--json] [-o FILE] PART...", 0, 0, DEAL_DEFAULT_TIMEOUT,
  DEAL_DEFAULT_MAX_MEMORY, 0
};
/* Every command, in the order the usage lists them. */
static const CliCommand *const commands[] = {&cli_deal, &cli_check, &cli_report, &cli_merge, &cli_lsp};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

typedef enum {
  OPT_FLAG,       /* int = 1 */
  OPT_ACTION,     /* -e, -l: appended to CliArgs.actions */
  OPT_STRING,     /* const char * = the value */
  OPT_SEED,       /* unsigned long long: a non-negative integer */
  OPT_COUNT,      /* long in [min, max] */
  OPT_SECONDS,    /* double in (0, DEAL_MAX_TIMEOUT] */
  OPT_SIZE,       /* size_t: 512M, 2G, or none (HOST_UNLIMITED) */
  OPT_SHARD,      /* K/N into host.shard_k, host.shard_n */
  OPT_HELP        /* prints the usage, exits 0 */
} OptKind;

typedef struct CliOption {
  const char *name;
  const char *arg;           /* the value's name in the usage; NULL: none */
  OptKind kind;
  size_t field;              /* offsetof(CliArgs, ...) */
  unsigned commands;         /* CliCommandBit set */
  const char *help;
  long min, max;             /* OPT_COUNT */
} CliOption;

#define FIELD(f) offsetof(CliArgs, f)
#define ALL (CLI_DEAL | CLI_CHECK | CLI_REPORT | CLI_LSP)   /* deal merge runs no model */

static const CliOption options[] = {
  {"-e", "stat", OPT_ACTION, 0, CLI_DEAL, "execute string 'stat' (.deal code)", 0, 0},
  {"-i", NULL, OPT_FLAG, FIELD(interactive), CLI_DEAL, "enter interactive mode after running script", 0, 0},
  {"-l", "mod", OPT_ACTION, 0, CLI_DEAL, "require library 'mod' into global 'mod'", 0, 0},
  {"-v", NULL, OPT_FLAG, FIELD(version), CLI_DEAL, "show version information", 0, 0},
  {"--json", NULL, OPT_FLAG, FIELD(json), CLI_DEAL | CLI_CHECK | CLI_MERGE, "print the results and claims as one JSON document", 0, 0},
  {"--csv", NULL, OPT_FLAG, FIELD(csv), CLI_DEAL, "print one CSV row per result", 0, 0},
  {"-o", "FILE", OPT_STRING, FIELD(output), CLI_DEAL | CLI_REPORT | CLI_MERGE, "write the --json or --csv output (the report) to FILE", 0, 0},
  {"--samples-out", "F", OPT_STRING, FIELD(samples_out), CLI_DEAL, "write the samples of each uncertain result to CSV file F (- for stdout)", 0, 0},
  {"--explain", NULL, OPT_FLAG, FIELD(explain), CLI_CHECK, "for each claim, the inputs it depends on and where its verdict flips", 0, 0},
  {"--seed", "N", OPT_SEED, FIELD(host.seed), ALL, "seed of the random generator", 0, 0},
  {"--samples", "N", OPT_COUNT, FIELD(host.samples), ALL, "Monte Carlo samples per uncertain value",
   1, DEAL_MAX_SAMPLES},
  {"--shard", "K/N", OPT_SHARD, FIELD(host), CLI_DEAL, "compute shard K of N of a run of --samples in all, write its part (needs --json; see deal merge)", 0, 0},
  {"--max-memory", "S", OPT_SIZE, FIELD(host.max_memory), ALL, "memory limit, e.g. 512M or 2G, or none", 0, 0},
  {"--timeout", "S", OPT_SECONDS, FIELD(host.timeout), ALL, "time limit in seconds", 0, 0},
  {"-j", "N", OPT_COUNT, FIELD(jobs), CLI_CHECK, "run N models at once (same output as -j 1)",
   1, DEAL_CHECK_MAX_JOBS},
  {"--trust", NULL, OPT_FLAG, FIELD(host.trust), CLI_DEAL | CLI_REPORT, "full Lua: io, os, package, debug (see docs/security.md)", 0, 0},
  {"--translate", "F", OPT_STRING, FIELD(translate), CLI_DEAL, "print the Lua that a .deal file becomes", 0, 0},
  {"--conformance", "F", OPT_STRING, FIELD(conformance), CLI_DEAL, "run plain Lua F with every standard library (testing)", 0, 0},
  {"--stdio", NULL, OPT_FLAG, FIELD(stdio), CLI_LSP, "talk over standard input and output (the default)", 0, 0},
  {"--help", NULL, OPT_HELP, 0, ALL | CLI_MERGE, "show this help", 0, 0},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static void defaults(const CliCommand *cmd, CliArgs *a) {
  memset(a, 0, sizeof *a);
  host_defaults(&a->host);
  a->host.timeout = cmd->timeout;
  a->host.max_memory = cmd->max_memory;
  a->jobs = DEAL_CHECK_JOBS;
  if (cmd->samples) a->host.samples = cmd->samples;
}

/* {====== values ====== */
/* "512M" -> bytes (k, M, G: powers of 1024); 0 when malformed. */
static size_t parse_size(const char *s) {
  char *e;
  double v = strtod(s, &e);
  if (e == s || !(v > 0)) return 0;
  switch (*e) {
    case 'k': case 'K': v *= 1024; e++; break;
    case 'm': case 'M': v *= 1024 * 1024; e++; break;
    case 'g': case 'G': v *= 1024.0 * 1024 * 1024; e++; break;
  }
  return *e || v >= 9.2e18 ? 0 : (size_t)v;
}

static void format_size(char *buf, size_t n, size_t v) {
  if (v == HOST_UNLIMITED) snprintf(buf, n, "none");
  else if (v % ((size_t)1 << 30) == 0) snprintf(buf, n, "%zuG", v >> 30);
  else if (v % ((size_t)1 << 20) == 0) snprintf(buf, n, "%zuM", v >> 20);
  else if (v % 1024 == 0) snprintf(buf, n, "%zuK", v >> 10);
  else snprintf(buf, n, "%zu", v);
}

/* "K/N" -> shard K of N (1 <= K <= N <= MC_SHARD_MAX); else 0 and what is
** wrong in why. */
static int parse_shard(const char *v, HostOptions *h, char *why, size_t n) {
  char *e, *f;
  errno = 0;
  unsigned long k = strtoul(v, &e, 10), N = 0;
  int digits = *v >= '0' && *v <= '9';
  if (digits && *e == '/' && e[1] >= '0' && e[1] <= '9') N = strtoul(e + 1, &f, 10);
  if (!digits || *e != '/' || !(e[1] >= '0' && e[1] <= '9') || *f || errno)
    snprintf(why, n, "expected K/N, shard K of N (e.g. --shard 1/4)");
  else if (N == 0) snprintf(why, n, "N is 0: a run splits into 1 to %ld shards", MC_SHARD_MAX);
  else if (N > (unsigned long)MC_SHARD_MAX) snprintf(why, n, "N is %lu: at most %ld shards", N, MC_SHARD_MAX);
  else if (k == 0) snprintf(why, n, "K is 0: shards are numbered from 1 to N");
  else if (k > N) snprintf(why, n, "K %lu is past N %lu: shards are numbered from 1 to N", k, N);
  else { h->shard_k = k; h->shard_n = N; return 1; }
  return 0;
}

/* Sets the option's field from the text v; 0 when v is not valid. */
static int set_value(const CliOption *o, const char *v, CliArgs *a) {
  void *f = (char *)a + o->field;
  char *e;
  errno = 0;
  switch (o->kind) {
    case OPT_STRING: *(const char **)f = v; return 1;
    case OPT_SEED: {
      unsigned long long n = strtoull(v, &e, 10);
      if (*v < '0' || *v > '9' || *e || errno) return 0;
      *(unsigned long long *)f = n;
      return 1;
    }
    case OPT_COUNT: {                /* 100000, or 1e8 for an exact integer */
      /* a sharded run may total more samples: check_shard decides */
      long max = o->field == FIELD(host.samples) ? DEAL_MAX_SHARD_SAMPLES : o->max;
      long n = strtol(v, &e, 10);
      if (e != v && (*e == 'e' || *e == 'E' || *e == '.')) {
        double d = strtod(v, &e);
        if (*e || !(d >= (double)o->min && d <= (double)max) || d != (double)(long)d) return 0;
        n = (long)d;
      }
      if (e == v || *e || errno || n < o->min || n > max) return 0;
      *(long *)f = n;
      return 1;
    }
    case OPT_SECONDS: {
      double t = strtod(v, &e);
      if (e == v || *e || !(t > 0 && t <= DEAL_MAX_TIMEOUT)) return 0;
      *(double *)f = t;
      return 1;
    }
    case OPT_SIZE: {
      size_t n = strcmp(v, "none") == 0 ? HOST_UNLIMITED : parse_size(v);
      if (n == 0) return 0;
      *(size_t *)f = n;
      return 1;
    }
    case OPT_SHARD: {
      char why[128];
      return parse_shard(v, f, why, sizeof why);
    }
    default: return 0;     /* the other kinds take no value */
  }
}

/* The option's default for cmd as the usage shows it; "" when none. */
static void default_text(const CliOption *o, const CliCommand *cmd, char *buf, size_t n) {
  CliArgs a;
  defaults(cmd, &a);
  const void *f = (const char *)&a + o->field;
  buf[0] = '\0';
  switch (o->kind) {
    case OPT_SEED: snprintf(buf, n, "%llu", *(const unsigned long long *)f); break;
    case OPT_COUNT: snprintf(buf, n, "%ld", *(const long *)f); break;
    case OPT_SIZE: format_size(buf, n, *(const size_t *)f); break;
    case OPT_SECONDS: {
      double t = *(const double *)f;
      if (t > 0) snprintf(buf, n, "%g", t); else snprintf(buf, n, "none");
      break;
    }
    default: break;
  }
}
/* }====== */

/* {====== usage ====== */
/* "(default 4G; check: 1G)": cmd's default and, in deal's own usage, the
** subcommands' where they differ. */
static void print_default(FILE *f, const CliOption *o, const CliCommand *cmd) {
  char mine[64], other[64];
  default_text(o, cmd, mine, sizeof mine);
  if (!mine[0]) return;
  fprintf(f, " (default %s", mine);
  for (size_t k = 0; cmd == &cli_deal && k < NCOMMANDS; k++) {
    const CliCommand *c = commands[k];
    if (c == cmd || !(o->commands & c->bit)) continue;
    default_text(o, c, other, sizeof other);
    if (strcmp(mine, other) != 0) fprintf(f, "; %s: %s", c->name + strlen("deal "), other);
  }
  fputc(')', f);
}

void cli_usage(const CliCommand *cmd, FILE *f) {
  fprintf(f, "usage: %s %s\n", cmd->name, cmd->synopsis);
  if (cmd == &cli_deal)                 /* the subcommands */
    for (size_t k = 0; k < NCOMMANDS; k++)
      if (commands[k] != cmd) fprintf(f, "       %s %s\n", commands[k]->name, commands[k]->synopsis);
  fprintf(f, "Options:\n");
  for (size_t i = 0; i < NOPTIONS; i++) {
    const CliOption *o = &options[i];
    if (!(o->commands & cmd->bit)) continue;
    char head[32];
    snprintf(head, sizeof head, "%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
    fprintf(f, "  %-15s %s", head, o->help);
    print_default(f, o, cmd);
    fputc('\n', f);
  }
  fprintf(f, "  %-15s %s\n", "--", "stop handling options");
  if (cmd->dash_is_stdin) fprintf(f, "  %-15s %s\n", "-", "execute stdin and stop handling options");
  for (size_t k = 0; cmd == &cli_deal && k < NCOMMANDS; k++) {   /* where the rest is */
    if (commands[k] == cmd) continue;
    fprintf(f, "%s takes:", commands[k]->name);
    for (size_t i = 0; i < NOPTIONS; i++)
      if (options[i].commands & commands[k]->bit) fprintf(f, " %s", options[i].name);
    fprintf(f, " (see '%s --help')\n", commands[k]->name);
  }
}

int cli_usage_error(const CliCommand *cmd, const char *msg, const char *what) {
  fprintf(stderr, "%s: %s%s%s\n", cmd->name, msg, what ? " " : "", what ? what : "");
  cli_usage(cmd, stderr);
  return 2;
}
/* }====== */

/* {====== parsing ====== */
/* The option that s names for cmd; *value gets an attached value (-estat,
** --seed=7) or NULL. */
static const CliOption *find_option(const CliCommand *cmd, const char *s, const char **value) {
  *value = NULL;
  for (size_t i = 0; i < NOPTIONS; i++) {
    const CliOption *o = &options[i];
    size_t n = strlen(o->name);
    if (!(o->commands & cmd->bit) || strncmp(s, o->name, n) != 0) continue;
    if (s[n] == '\0') return o;
    if (s[1] != '-' && o->arg) { *value = s + n; return o; }     /* -estat */
    if (s[1] == '-' && s[n] == '=') { *value = s + n + 1; return o; }
  }
  return NULL;
}

static int add_action(CliArgs *a, int argc, char opt, const char *arg) {
  if (!a->actions && !(a->actions = malloc((size_t)argc * sizeof *a->actions))) return 0;
  a->actions[a->nactions].opt = opt;
  a->actions[a->nactions++].arg = arg;
  return 1;
}

/* One option at argv[*i] (moving *i past its value); -1 to go on, else
** the exit status. */
static int one_option(const CliCommand *cmd, int argc, char **argv, int *i, CliArgs *a) {
  const char *s = argv[*i], *v;
  const CliOption *o = find_option(cmd, s, &v);
  if (!o) {
    char q[256];
    snprintf(q, sizeof q, "'%.200s'", s);
    return cli_usage_error(cmd, "unrecognized option", q);
  }
  if (!o->arg && v) return cli_usage_error(cmd, "option takes no argument:", o->name);
  if (o->arg && !v) {
    if (*i + 1 >= argc) return cli_usage_error(cmd, "option requires an argument:", o->name);
    v = argv[++*i];
  }
  switch (o->kind) {
    case OPT_HELP: cli_usage(cmd, stdout); return 0;
    case OPT_FLAG: *(int *)((char *)a + o->field) = 1; return -1;
    case OPT_ACTION:
      if (add_action(a, argc, o->name[1], v)) return -1;
      fprintf(stderr, "%s: not enough memory\n", cmd->name);
      return 1;
    default:
      if (set_value(o, v, a)) return -1;
      char what[320];
      if (o->kind == OPT_SHARD) {
        char why[128];
        parse_shard(v, &a->host, why, sizeof why);
        snprintf(what, sizeof what, "bad --shard %.40s: %s", v, why);
        return cli_usage_error(cmd, what, NULL);
      }
      if (o->kind == OPT_COUNT) snprintf(what, sizeof what, "bad %s (%ld to %ld):", o->name, o->min, o->max);
      else snprintf(what, sizeof what, "bad %s:", o->name);
      return cli_usage_error(cmd, what, v);
  }
}

/* A one_operand command (`deal report MODEL -o F`): options on both sides
** of the operand; a second operand is an error. */
static int parse_one_operand(const CliCommand *cmd, int argc, char **argv, CliArgs *a) {
  int options = 1;                       /* until "--" */
  a->operand = argc;
  for (int i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (options && strcmp(s, "--") == 0) { options = 0; continue; }
    if (options && s[0] == '-' && strcmp(s, "-") != 0) {
      int st = one_option(cmd, argc, argv, &i, a);
      if (st >= 0) { cli_free(a); return st; }
      continue;
    }
    if (a->operand < argc || a->stdin_script) {
      cli_free(a);
      return cli_usage_error(cmd, "one model at a time; also given:", s);
    }
    if (strcmp(s, "-") == 0) a->stdin_script = 1;
    else a->operand = i;
  }
  return -1;
}

static int check_shard(const CliCommand *cmd, const CliArgs *a);
static int check_memory(const CliCommand *cmd, const CliArgs *a);

int cli_parse(const CliCommand *cmd, int argc, char **argv, CliArgs *a) {
  defaults(cmd, a);
  if (cmd->one_operand) {
    int st = parse_one_operand(cmd, argc, argv, a);
    if (st < 0 && (st = check_shard(cmd, a)) >= 0) cli_free(a);
    return st;
  }
  int i;
  for (i = 1; i < argc; i++) {
    const char *s = argv[i];
    if (s[0] != '-') break;
    if (strcmp(s, "--") == 0) { i++; break; }
    if (strcmp(s, "-") == 0) { a->stdin_script = cmd->dash_is_stdin; break; }
    int st = one_option(cmd, argc, argv, &i, a);
    if (st >= 0) { cli_free(a); return st; }
  }
  a->operand = i;
  int st = check_shard(cmd, a);
  if (st < 0) st = check_memory(cmd, a);
  if (st >= 0) cli_free(a);
  return st;
}

/* --shard goes with --json (a part is a JSON document) and not with what
** needs every sample; a run of more than DEAL_MAX_SAMPLES must be
** sharded, and may not have more shards than chunks (a shard would be
** empty: surely a mistake). -1 when fine, else the exit status. */
static int check_shard(const CliCommand *cmd, const CliArgs *a) {
  const HostOptions *h = &a->host;
  char what[320];
  if (!h->shard_n) {
    if (h->samples <= DEAL_MAX_SAMPLES) return -1;
    if (cmd != &cli_deal) {                   /* no --shard there */
      snprintf(what, sizeof what, "bad --samples (1 to %ld): %ld", DEAL_MAX_SAMPLES, h->samples);
      return cli_usage_error(cmd, what, NULL);
    }
    snprintf(what, sizeof what, "bad --samples %ld: at most " DEAL_MAX_SAMPLES_TEXT " in one run; up to "
             DEAL_MAX_SHARD_SAMPLES_TEXT " split with --shard K/N (docs/scale.md)", h->samples);
    return cli_usage_error(cmd, what, NULL);
  }
  if (!a->json) return cli_usage_error(cmd, "--shard K/N needs --json: a shard writes its part as JSON", NULL);
  if (a->samples_out || a->csv || a->interactive)
    return cli_usage_error(cmd, "--shard cannot be used with --samples-out, --csv or -i: a shard holds part of the samples", NULL);
  size_t chunks = ((size_t)h->samples + DEAL_RNG_CHUNK - 1) / DEAL_RNG_CHUNK;
  if (h->shard_n > chunks) {
    snprintf(what, sizeof what, "bad --shard %lu/%lu: a run of %ld samples has %zu chunks of %d, so at most %zu shards",
             h->shard_k, h->shard_n, h->samples, chunks, DEAL_RNG_CHUNK, chunks);
    return cli_usage_error(cmd, what, NULL);
  }
  return -1;
}

/* More samples than the memory limit can take fail before any work; a
** shard needs room for its own samples only. -1 when fine, else 1. */
static int check_memory(const CliCommand *cmd, const CliArgs *a) {
  char why[256];
  long n = a->host.samples;
  if (a->host.shard_n) {
    size_t lo, hi;
    mc_shard_range((size_t)n, a->host.shard_k, a->host.shard_n, &lo, &hi);
    n = (long)(hi - lo);
  }
  if (n <= DEAL_DEFAULT_SAMPLES ||
      samples_fit(n, a->host.max_memory == HOST_UNLIMITED ? 0 : a->host.max_memory, why, sizeof why)) return -1;
  if (a->host.shard_n)
    fprintf(stderr, "%s: --samples %ld: shard %lu/%lu's %ld samples %s\n", cmd->name, a->host.samples,
            a->host.shard_k, a->host.shard_n, n, why);
  else fprintf(stderr, "%s: --samples %ld %s\n", cmd->name, a->host.samples, why);
  return 1;
}

void cli_free(CliArgs *a) {
  free(a->actions);
  a->actions = NULL;
  a->nactions = 0;
}
/* }====== */

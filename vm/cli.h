/*
** vm/cli.h
** The command line of `deal` and its subcommands: one table of options
** (cli.c), one parser, one usage text made from the table.
**
** Adding an option: one line in cli.c's options[] (name, argument, kind,
** field of CliArgs, the commands that take it, help), and the field here.
** Adding a subcommand: a bit in CliCommandBit, a CliCommand below (with its
** defaults), its bit on the options it takes, and a line in main.c's
** subcommands[].
*/
#ifndef DEAL_CLI_H
#define DEAL_CLI_H
#include <stdio.h>
#include "host.h"

/* -e and -l of `deal`, kept in command-line order (lua.c runs them so). */
typedef struct CliAction {
  char opt;                  /* 'e' or 'l' */
  const char *arg;
} CliAction;

/* What the command line asked for. */
typedef struct CliArgs {
  HostOptions host;          /* what the state sees: limits, samples, seed */
  int interactive, version;  /* -i, -v */
  int json, csv;             /* --json, --csv: export the results (export.c) */
  int explain;               /* --explain (deal check) */
  int html;                  /* `deal report`: the results as an HTML page (report.c) */
  long jobs;                 /* deal check -j: models run at once */
  const char *output;        /* -o FILE: where the export goes (else stdout) */
  const char *samples_out;   /* --samples-out FILE: uncertain results' samples */
  int stdio;                 /* --stdio of deal lsp: what it always does */
  const char *translate;     /* --translate FILE */
  const char *conformance;   /* --conformance FILE */
  CliAction *actions;        /* -e and -l, in order (cli_free frees) */
  int nactions;
  int operand;               /* argv index of the script or first path; argc if none */
  int stdin_script;          /* "-": the script is standard input */
} CliArgs;

typedef enum { CLI_DEAL = 1, CLI_CHECK = 2, CLI_REPORT = 4, CLI_LSP = 8, CLI_MERGE = 16 } CliCommandBit;

typedef struct CliCommand {
  CliCommandBit bit;
  const char *name;          /* as messages call it: "deal check" */
  const char *synopsis;      /* what follows the name in the usage line */
  int dash_is_stdin;         /* lua's "-": run standard input, stop options */
  int one_operand;           /* one operand, options before or after it */
  double timeout;            /* defaults of this command (else defaults.h's) */
  size_t max_memory;
  long samples;              /* 0: defaults.h's DEAL_DEFAULT_SAMPLES */
} CliCommand;

extern const CliCommand cli_deal, cli_check, cli_report, cli_lsp, cli_merge;

/* Parses argv[1..argc) for cmd: options up to the first operand, "--" or
** (where cmd takes it) "-"; for a one_operand command, options on both
** sides of its one operand. Returns -1 when the command should run, else
** the exit status: 0 after --help (usage on stdout), 2 after a usage error
** (message and usage on stderr). */
int cli_parse(const CliCommand *cmd, int argc, char **argv, CliArgs *a);
void cli_free(CliArgs *a);
/* Prints "name: msg what" and the usage on stderr; returns 2. */
int cli_usage_error(const CliCommand *cmd, const char *msg, const char *what);
void cli_usage(const CliCommand *cmd, FILE *f);
#endif

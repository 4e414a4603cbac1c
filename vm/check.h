/*
** vm/check.h
** `deal check PATH...`: runs models and gates on their claims (check.c).
*/
#ifndef DEAL_CHECK_H
#define DEAL_CHECK_H
#include <stddef.h>

/* argv[0] is "check"; returns the exit status (0, 1, or 2 on usage errors). */
int check_main(int argc, char **argv);

/* The rlimits of a model's process (deal check's children, the language
** server's runs): no core file, an address space of DEAL_CHECK_AS_FACTOR
** times the memory budget (none under ASan, whose shadow memory is
** terabytes), and a CPU limit just over timeout seconds (SIGXCPU). Call it
** in the child, after fork. */
void check_setlimits(size_t max_memory, double timeout);
#endif

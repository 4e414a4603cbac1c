/*
** vm/check.h
** `deal check PATH...`: runs models and gates on their claims (check.c).
*/
#ifndef DEAL_CHECK_H
#define DEAL_CHECK_H

/* argv[0] is "check"; returns the exit status (0, 1, or 2 on usage errors). */
int check_main(int argc, char **argv);
#endif

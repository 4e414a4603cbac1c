/*
** vm/dealops.h
** The runtime operators of translated .deal code, listed once. The
** translator's prologue `local __add,__sub,...,__cne=__deal.ops();` names
** them and __deal.ops() (dealrt.c) returns them, both from this list, so
** the two cannot drift apart. X(local, function): the name translated code
** calls and the C function of dealrt.c behind it. Adding an operator: a
** line here, its function in dealrt.c, and the translator's use of it.
*/
#ifndef DEAL_DEALOPS_H
#define DEAL_DEALOPS_H

#define DEAL_OPS(X)                                                       \
  X(__add, r_add) X(__sub, r_sub) X(__mul, r_mul) X(__div, r_div)         \
  X(__idiv, r_idiv) X(__mod, r_mod) X(__pow, r_pow) X(__unm, r_unm)       \
  X(__eq, r_eq) X(__ne, r_ne) X(__lt, r_lt) X(__le, r_le) X(__gt, r_gt)   \
  X(__ge, r_ge) X(__not, r_not) X(__and, r_and) X(__or, r_or)             \
  X(__andf, r_andf) X(__orf, r_orf) X(__cond, r_cond) X(__for, r_for)     \
  X(__to, r_to) X(__K, r_consts) X(__ceq, r_ceq) X(__cne, r_cne)
#endif

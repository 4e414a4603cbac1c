/*
** vm/version.h
** The version of Dealscript: what `deal -v` prints and what exports record
** (docs/results.md).
*/
#ifndef DEAL_VERSION_H
#define DEAL_VERSION_H
#define DEAL_VERSION_NUMBER "0.1"
#define DEAL_VERSION "Dealscript " DEAL_VERSION_NUMBER
#endif

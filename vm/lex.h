/*
** vm/lex.h
** The .deal lexer: turns the whole source into an array of tokens, deciding
** the dialect's literal forms (scale suffixes, percent, units, money) on the
** way. Also the translator's shared context: memory through the state's
** allocator and errors raised with longjmp (so every path frees everything).
*/
#ifndef DEAL_LEX_H
#define DEAL_LEX_H
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <lua.h>

/* Token types. Single-character symbols use their own character code. */
enum {
  TK_EOF = 256,
  /* reserved words, in this order (lex.c's keyword table matches) */
  TK_AND, TK_BREAK, TK_DO, TK_ELSE, TK_ELSEIF, TK_END, TK_FALSE, TK_FOR,
  TK_FUNCTION, TK_GOTO, TK_IF, TK_IN, TK_LOCAL, TK_NIL, TK_NOT, TK_OR,
  TK_REPEAT, TK_RETURN, TK_THEN, TK_TRUE, TK_UNTIL, TK_WHILE,
  /* multi-character symbols */
  TK_IDIV, TK_CONCAT, TK_DOTS, TK_EQ, TK_GE, TK_LE, TK_NE, TK_SHL, TK_SHR,
  TK_DBCOLON,
  /* values */
  TK_NAME,   /* identifier */
  TK_STRING, /* short or long string, copied verbatim */
  TK_INT,    /* decimal numeral with an int64 value: emitted as text */
  TK_HEX,    /* hexadecimal numeral: passed through (Lua semantics) */
  TK_LIT     /* exact constant (numeral, percent, unit, money): spec */
};

/* One token. Text is src[off, off+len) except for TK_INT/TK_LIT, whose
** emitted text / spec is in aux (an index into Lexed.strs). */
typedef struct Tok {
  uint32_t off, len;  /* source bytes of the token */
  uint32_t line;      /* line where the token starts (Lua's counting) */
  uint32_t nl;        /* line breaks inside the token (long strings) */
  uint32_t gap;       /* bytes of plain blanks just before it on its line */
  uint32_t aux;       /* TK_INT/TK_LIT: string index; '(' '[' '{': match */
  uint16_t type;
  uint8_t spaced;     /* separated from the previous token (blank/comment) */
} Tok;

/* A string made by the lexer or translator (spec, integer text, __K[i]). */
typedef struct Str { const char *s; uint32_t len; } Str;

/* Context shared by lexer and parser: allocator, error exit, arena. */
typedef struct Ctx {
  lua_Alloc allocf;
  void *ud;
  const char *src;
  size_t len;
  const char *chunk;      /* chunk name without '@' / '=' */
  char *err;
  size_t errsz;
  jmp_buf jb;
  struct Blk *arena;      /* bump allocator blocks for small strings */
  char *arena_p;
  size_t arena_left;
} Ctx;

/* Memory. Arrays grow by doubling through allocf (*pp and *cap updated; the
** old block stays valid on failure, so cleanup after longjmp is safe).
** ctx_grow is called once per token and per piece of output: its common
** case, room already there, is inline; ctx_grow_to does the growing. */
void ctx_grow_to(Ctx *C, void **pp, size_t *cap, size_t elem, size_t need);
static inline void ctx_grow(Ctx *C, void **pp, size_t *cap, size_t elem, size_t need) {
  if (need > *cap) ctx_grow_to(C, pp, cap, elem, need);
}
void ctx_free_array(Ctx *C, void *p, size_t cap, size_t elem);
/* Arena copy of a[0..na) followed by b[0..nb) (NUL-terminated); a NULL
** part leaves its bytes uninitialised for the caller to fill. */
char *ctx_cat(Ctx *C, const char *a, size_t na, const char *b, size_t nb);
void ctx_free_arena(Ctx *C);
/* Raises an error at byte offset off ("chunk:L:C: msg" + line + caret). */
_Noreturn void ctx_error(Ctx *C, size_t off, const char *fmt, ...);
/* Raises an error at the end of input: only "chunk:L:C: msg near <eof>". */
_Noreturn void ctx_error_eof(Ctx *C, const char *msg);
_Noreturn void ctx_nomem(Ctx *C);

/* Lexer output plus its scratch (kept here so that an error exit frees it). */
typedef struct Lexed {
  Tok *toks;
  size_t ntoks, captoks;
  Str *strs;
  size_t nstrs, capstrs;
  uint32_t *stack;        /* open brackets while matching */
  size_t capstack;
  Str *units;             /* names declared with units.define (hash set) */
  size_t capunits, nunits;
} Lexed;

/* Lexes C->src completely into X (the last token is TK_EOF). */
void lex_all(Ctx *C, Lexed *X);
void lex_free(Ctx *C, Lexed *X);
/* The text of a reserved word or symbol token type (for messages). */
const char *lex_token_name(int type);
#endif

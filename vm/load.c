/*
** vm/load.c
** Loading code into a state: text chunks only (a binary chunk is refused
** whatever the caller asks: malicious bytecode crashes Lua), .deal
** translated first; and which files a sandboxed model may read.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include "host.h"
#include "hostutil.h"
#include "registry.h"
#include "translate.h"

#define MAX_SOURCE (64u << 20)    /* a model larger than 64 MB is refused */

/* {====== what a sandboxed model may read ======
** The model's directory tree (host_modeldir), plus every path named on the
** command line (a file: that file; a directory: its tree), plus whatever
** host_allowread added. Paths are compared after resolving symlinks, on the
** file actually opened (/proc/self/fd), so a symlink or a rename between
** check and open cannot widen it. */
static int unrestricted(lua_State *L) {
  const HostOptions *o = host_options(L);
  return o->trust || o->conformance;
}

static int under(const char *path, const char *root, int isdir) {
  size_t n = strlen(root);
  if (strncmp(path, root, n) != 0) return 0;
  if (path[n] == '\0') return 1;
  if (!isdir) return 0;
  return path[n] == '/' || (n > 0 && root[n - 1] == '/');
}

void host_allowread(lua_State *L, const char *path) {
  char res[PATH_MAX];
  struct stat st;
  if (realpath(path, res) == NULL || stat(res, &st) != 0) return;
  if (lua_getfield(L, LUA_REGISTRYINDEX, REG_READROOTS) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_READROOTS);
  }
  lua_pushstring(L, res);
  lua_pushboolean(L, S_ISDIR(st.st_mode));
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

/* The paths of our own command line (Linux: /proc/self/cmdline): what the
** user named when starting deal is what models may read besides their tree. */
void host_allowcmdline(lua_State *L) {
  FILE *f = fopen("/proc/self/cmdline", "rb");
  if (!f) return;
  char arg[PATH_MAX];
  size_t n = 0;
  int c, idx = 0;
  while ((c = getc(f)) != EOF) {
    if (c != '\0') { if (n + 1 < sizeof arg) arg[n++] = (char)c; continue; }
    arg[n] = '\0';
    if (idx++ > 0 && n > 0 && arg[0] != '-') host_allowread(L, arg);
    n = 0;
  }
  fclose(f);
}

int host_mayread(lua_State *L, const char *resolved) {
  if (unrestricted(L)) return 1;
  char dir[PATH_MAX];
  if (realpath(host_modeldir(L), dir) != NULL && under(resolved, dir, 1)) return 1;
  int ok = 0, top = lua_gettop(L);
  if (lua_getfield(L, LUA_REGISTRYINDEX, REG_READROOTS) == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) == LUA_TSTRING && under(resolved, lua_tostring(L, -2), lua_toboolean(L, -1))) { ok = 1; break; }
      lua_pop(L, 1);
    }
  }
  lua_settop(L, top);
  return ok;
}

int host_openread(lua_State *L, const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) { lua_pushfstring(L, "cannot open %s: %s", path, strerror(errno)); return -1; }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    lua_pushfstring(L, "cannot read %s: not a regular file", path);
    return -1;
  }
  if (!unrestricted(L)) {
    char link[64], res[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, res, sizeof res - 1);
    if (n <= 0) { close(fd); lua_pushfstring(L, "cannot open %s: cannot resolve the path", path); return -1; }
    res[n] = '\0';
    if (!host_mayread(L, res)) {
      close(fd);
      lua_pushfstring(L, "cannot open %s: outside the model's directory (models may read files beside "
                         "them and paths named on the command line; see docs/security.md)", path);
      return -1;
    }
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl != -1) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  return fd;
}
/* }====== */

/* {====== loading: text only, .deal translated ====== */
int host_loadbuffer(lua_State *L, const char *src, size_t len, const char *chunkname, int dialect) {
  if (dialect == DIALECT_AUTO) dialect = host_endswith(chunkname, ".deal") ? DIALECT_DEAL : DIALECT_LUA;
  if (len > MAX_SOURCE) {         /* parsing is one C call: bound it as files are */
    lua_pushfstring(L, "chunk too large (%d MB; the limit is %d MB)", (int)(len >> 20), (int)(MAX_SOURCE >> 20));
    return LUA_ERRSYNTAX;
  }
  if (len > 0 && src[0] == '\x1b') {
    lua_pushfstring(L, "%s: attempt to load a binary chunk (mode is 't')", chunkname + (chunkname[0] == '@' || chunkname[0] == '='));
    return LUA_ERRSYNTAX;
  }
  if (dialect == DIALECT_LUA) return luaL_loadbufferx(L, src, len, chunkname, "t");
  void *ud;
  lua_Alloc af = lua_getallocf(L, &ud);
  char *out = NULL, err[2048];
  size_t outlen = 0;
  if (deal_translate(af, ud, src, len, chunkname, &out, &outlen, err, sizeof err) != 0) {
    lua_pushstring(L, err);
    return strcmp(err, "not enough memory") == 0 ? LUA_ERRMEM : LUA_ERRSYNTAX;
  }
  int st = luaL_loadbufferx(L, out, outlen, chunkname, "t");
  af(ud, out, outlen + 1, 0);
  return st;
}

static int newbuffer(lua_State *L) {
  lua_newuserdatauv(L, (size_t)lua_tointeger(L, 1), 0);
  return 1;
}

/* Reads a regular file of bounded size into a userdata buffer (GC-owned,
** so an error while reading leaks nothing). Never blocks on a FIFO. */
int host_readfile(lua_State *L, const char *path, const char **src, size_t *len) {
  struct stat st;
  char *buf = NULL;
  int fd = host_openread(L, path);
  if (fd < 0) return 0;
  if (fstat(fd, &st) != 0) st.st_size = 0;
  if ((size_t)st.st_size > MAX_SOURCE) {
    close(fd);
    lua_pushfstring(L, "cannot read %s: larger than %d MB", path, (int)(MAX_SOURCE >> 20));
    return 0;
  }
  /* the buffer under protection: if it cannot be had, the fd must not leak */
  lua_pushcfunction(L, newbuffer);
  lua_pushinteger(L, (lua_Integer)st.st_size + 1);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) { close(fd); return lua_error(L); }
  buf = lua_touserdata(L, -1);
  size_t n = 0;
  while (n < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) { int e = errno; close(fd); lua_pop(L, 1); lua_pushfstring(L, "cannot read %s: %s", path, strerror(e)); return 0; }
    if (r == 0) break;                  /* truncated while we read: take what is there */
    n += (size_t)r;
  }
  close(fd);
  buf[n] = '\0';
  *src = buf;
  *len = n;
  return 1;
}

int host_loadfile(lua_State *L, const char *path, int dialect) {
  const char *src = NULL;
  size_t len = 0;
  if (!host_readfile(L, path, &src, &len)) return LUA_ERRFILE;
  lua_pushfstring(L, "@%s", path);
  const char *chunk = lua_tostring(L, -1);
  if (dialect == DIALECT_AUTO) dialect = host_endswith(path, ".deal") ? DIALECT_DEAL : DIALECT_LUA;
  /* as luaL_loadfilex: a UTF-8 BOM, then (plain Lua) a #! line */
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { src += 3; len -= 3; }
  if (dialect == DIALECT_LUA) {
    if (len > 0 && src[0] == '#') {     /* keep the newline: line numbers stay right */
      while (len > 0 && src[0] != '\n') { src++; len--; }
    }
  }
  int st = host_loadbuffer(L, src, len, chunk, dialect);
  lua_remove(L, -2);   /* chunk name */
  lua_remove(L, -2);   /* buffer */
  return st;
}
/* }====== */

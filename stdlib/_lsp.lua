-- stdlib/_lsp.lua: what `deal lsp` answers (vm/lsp.c carries the messages
-- and runs the models; docs/lsp.md describes the server).
--
-- It runs in the server's own state and never runs the user's model: the
-- buffer is compiled for syntax errors (host.compile), scanned here for
-- locals and their scopes, and run by vm/lsp.c in a sandboxed child
-- (`deal --json`), whose export (docs/results.md) gives the diagnostics of
-- the run and the values shown on hover. Documentation and completion are
-- the REPL's: stdlib/_doc.lua's index through stdlib/repl.lua, and
-- vm/complete.c's names.
local M = {}

local host            -- vm/lsp.c's functions (send, respond, run, cancel, ...)
local R               -- stdlib/repl.lua: R.index, R.help
local files           -- the stdlib's sources, for the doc index
local docindex        -- built on first use
local docs = {}       -- uri -> open document (see open_doc)
local utf8pos = false -- positions in UTF-8 bytes (else UTF-16, LSP's default)
local shutdown = false

-- Word kinds of vm/complete.h (COMPLETE_*), and completion kinds of LSP.
local K_IDENT, K_UNIT, K_CHIP = 0, 1, 2
local CI = { Method = 2, Function = 3, Field = 5, Variable = 6, Module = 9, Unit = 11,
             Value = 12, Keyword = 14, Constant = 21 }
local SEV = { Error = 1, Warning = 2, Information = 3, Hint = 4 }

-- {====================================================== text and positions

-- The byte offset (1-based) of each line start of text.
local function line_starts(text)
  local starts, i = { 1 }, 1
  while true do
    local nl = text:find("\n", i, true)
    if not nl then break end
    starts[#starts + 1] = nl + 1
    i = nl + 1
  end
  return starts
end

-- Line n (0-based) of the document, without its line break.
local function line_text(doc, n)
  local s = doc.starts[n + 1]
  if not s then return "" end
  local e = doc.starts[n + 2]
  local l = doc.text:sub(s, e and e - 2 or #doc.text)
  return (l:gsub("\r$", ""))
end

-- LSP character (UTF-16 units, or bytes) -> byte column (0-based) of line.
local function bytecol(line, ch)
  if utf8pos then return math.min(ch, #line) end
  local units, i = 0, 1
  while i <= #line and units < ch do
    local c = line:byte(i)
    local n = c < 0x80 and 1 or c < 0xE0 and 2 or c < 0xF0 and 3 or 4
    units = units + (n == 4 and 2 or 1)
    i = i + n
  end
  return i - 1
end

-- Byte column (0-based) of line -> LSP character.
local function charcol(line, col)
  if utf8pos then return col end
  local units, i = 0, 1
  while i <= col and i <= #line do
    local c = line:byte(i)
    local n = c < 0x80 and 1 or c < 0xE0 and 2 or c < 0xF0 and 3 or 4
    units = units + (n == 4 and 2 or 1)
    i = i + n
  end
  return units
end

-- A range on line n (0-based) from byte column a to b.
local function range(doc, n, a, b)
  local l = line_text(doc, n)
  return { start = { line = n, character = charcol(l, a) }, ["end"] = { line = n, character = charcol(l, b) } }
end

-- The byte offset (1-based) of an LSP position in the document.
local function offset(doc, pos)
  local s = doc.starts[pos.line + 1]
  if not s then return #doc.text + 1 end
  return s + bytecol(line_text(doc, pos.line), pos.character)
end

-- The range of line n's text (blanks at the start left out).
local function whole_line(doc, n)
  local l = line_text(doc, n)
  local a = #(l:match("^%s*"))
  if a == #l then a = 0 end
  return range(doc, n, a, #l)
end
-- }======================================================

-- {====================================================== scanning a buffer
-- A tolerant scan of the buffer (it may not compile): tokens, then scopes
-- and declarations. Literal forms such as 1.2 GW or $21B give numbers and
-- names; that is enough to know where locals are declared and seen.

local KEYWORDS = {}
for w in ("and break do else elseif end false for function goto if in local nil not or repeat return then true until while"):gmatch("%a+") do
  KEYWORDS[w] = true
end

-- Tokens {t = "name"|"kw"|"str"|"num"|"sym", v = text, s = start, e = end}.
local function tokens(text)
  local out, i, n = {}, 1, #text
  local function add(t, v, s, e) out[#out + 1] = { t = t, v = v, s = s, e = e } end
  while i <= n do
    local c = text:sub(i, i)
    if c:match("%s") then
      i = text:find("[^%s]", i) or n + 1
    elseif text:sub(i, i + 1) == "--" then
      local eq = text:match("^%[(=*)%[", i + 2)
      if eq then
        local _, e = text:find("]" .. eq .. "]", i, true)
        i = (e or n) + 1
      else
        i = (text:find("\n", i, true) or n) + 1
      end
    elseif c:match("[%a_\128-\255]") then
      local s, e = text:find("^[%w_\128-\255]+", i)
      local v = text:sub(s, e)
      add(KEYWORDS[v] and "kw" or "name", v, s, e)
      i = e + 1
    elseif c:match("%d") or (c == "." and text:sub(i + 1, i + 1):match("%d")) then
      local _, e = text:find("^[%w_.%%]+", i)
      add("num", text:sub(i, e), i, e)
      i = e + 1
    elseif c == '"' or c == "'" then
      local j = i + 1
      while j <= n do
        local d = text:sub(j, j)
        if d == "\\" then j = j + 2
        elseif d == c or d == "\n" then break
        else j = j + 1 end
      end
      add("str", text:sub(i, math.min(j, n)), i, math.min(j, n))
      i = j + 1
    elseif c == "[" and text:match("^%[=*%[", i) then
      local eq = text:match("^%[(=*)%[", i)
      local _, e = text:find("]" .. eq .. "]", i, true)
      add("str", text:sub(i, e or n), i, e or n)
      i = (e or n) + 1
    else
      local three, two = text:sub(i, i + 2), text:sub(i, i + 1)
      local v = three == "..." and three
        or (two == "==" or two == "~=" or two == "<=" or two == ">=" or two == "//" or two == "::"
            or two == ".." or two == "<<" or two == ">>") and two or c
      add("sym", v, i, i + #v - 1)
      i = i + #v
    end
  end
  return out
end

-- Scopes and declarations. A scope is {s, e, parent, fn = inside a
-- function}; a declaration {name, s, e (bytes of the name), scope, at =
-- where it becomes visible, top = a result (top level), kind = "local" |
-- "function" | "global" | "param"}.
local function scan(text)
  local toks = tokens(text)
  local root = { s = 1, e = #text + 1 }
  local scope = root
  local decls, scopes = {}, { root }
  local pending                -- for-loop names and parameters, for the next scope
  local bracket = 0            -- ( [ { depth: a global's `x =` only outside them
  local function open(at, fn)
    scope = { s = at, e = #text + 1, parent = scope, fn = fn or scope.fn }
    scopes[#scopes + 1] = scope
    for _, d in ipairs(pending or {}) do d.scope = scope; decls[#decls + 1] = d end
    pending = nil
  end
  local function close(at)
    if scope ~= root then scope.e = at; scope = scope.parent end
  end
  local function declare(tok, kind, at)
    local d = { name = tok.v, s = tok.s, e = tok.e, scope = scope, at = at or tok.e + 1, kind = kind }
    d.top = scope == root
    decls[#decls + 1] = d
    return d
  end
  local i = 1
  while i <= #toks do
    local t = toks[i]
    local v = t.v
    if t.t == "kw" then
      if v == "local" then
        if toks[i + 1] and toks[i + 1].v == "function" and toks[i + 2] and toks[i + 2].t == "name" then
          declare(toks[i + 2], "function", toks[i + 2].s)   -- `function` is handled next
        else
          local j, names = i + 1, {}
          while toks[j] and toks[j].t == "name" do
            names[#names + 1] = toks[j]
            j = j + 1
            if toks[j] and toks[j].v == "<" then j = j + 3 end   -- <const>, <close>
            if toks[j] and toks[j].v == "," then j = j + 1 else break end
          end
          -- visible after the statement: at the next token after `=` ...; the
          -- end of the names is close enough for completion and definition
          local at = toks[j] and toks[j].v == "=" and (toks[j].e + 1) or (toks[j - 1] and toks[j - 1].e + 1)
          for _, nt in ipairs(names) do declare(nt, "local", at) end
          i = j - 1
        end
      elseif v == "function" then
        -- parameters: after the name (a.b:c adds self) up to `)`
        local j, method = i + 1, false
        while toks[j] and (toks[j].t == "name" or toks[j].v == "." or toks[j].v == ":") do
          if toks[j].v == ":" then method = true end
          j = j + 1
        end
        if i + 1 < j and toks[i + 1].t == "name" and j == i + 2 and not (toks[i - 1] and toks[i - 1].v == "local")
           and scope == root then
          declare(toks[i + 1], "global")        -- function name() at the top level
        end
        pending = {}
        if method then pending[1] = { name = "self", s = toks[i].s, e = toks[i].e, at = toks[i].s, kind = "param" } end
        if toks[j] and toks[j].v == "(" then
          j = j + 1
          while toks[j] and toks[j].v ~= ")" do
            if toks[j].t == "name" then
              pending[#pending + 1] = { name = toks[j].v, s = toks[j].s, e = toks[j].e, at = toks[j].s, kind = "param" }
            end
            j = j + 1
          end
        end
        open(t.s, true)
        i = j
      elseif v == "for" then
        local j = i + 1
        pending = {}
        while toks[j] and (toks[j].t == "name" or toks[j].v == ",") do
          if toks[j].t == "name" then
            pending[#pending + 1] = { name = toks[j].v, s = toks[j].s, e = toks[j].e, at = toks[j].s, kind = "local" }
          end
          j = j + 1
        end
        i = j - 1
      elseif v == "do" or v == "then" or v == "repeat" then
        open(t.s)
      elseif v == "else" or v == "elseif" then
        close(t.s)
        if v == "else" then open(t.s) end
      elseif v == "end" or v == "until" then
        close(t.e + 1)
      end
    elseif t.t == "sym" then
      if v == "(" or v == "[" or v == "{" then bracket = bracket + 1
      elseif v == ")" or v == "]" or v == "}" then bracket = math.max(0, bracket - 1) end
    elseif t.t == "name" and scope == root and bracket == 0 then
      local prev, nxt = toks[i - 1], toks[i + 1]
      if nxt and nxt.v == "=" and not (prev and (prev.v == "." or prev.v == ":" or prev.v == ",")) then
        local seen = false
        for _, d in ipairs(decls) do
          if d.name == v and d.scope == root then seen = true break end
        end
        if not seen then declare(t, "global") end
      end
    end
    i = i + 1
  end
  return { toks = toks, decls = decls, scopes = scopes, root = root }
end

-- The declaration that the name at byte offset pos refers to: the latest
-- one visible there (its scope holds pos, it is declared before pos).
local function resolve(sc, name, pos)
  local best
  for _, d in ipairs(sc.decls) do
    if d.name == name and d.scope.s <= pos and pos <= d.scope.e and (d.at <= pos or (pos >= d.s and pos <= d.e + 1)) then
      if d.kind == "global" then
        if not best then best = d end
      elseif not best or best.kind == "global" or d.s > best.s then
        best = d
      end
    end
  end
  return best
end

-- The names visible at pos, each with its declaration.
local function visible(sc, pos)
  local out = {}
  for _, d in ipairs(sc.decls) do
    if d.scope.s <= pos and pos <= d.scope.e and d.at <= pos then
      local o = out[d.name]
      if not o or (o.kind == "global" and d.kind ~= "global") or (d.kind ~= "global" and d.s > o.s) then
        out[d.name] = d
      end
    end
  end
  return out
end

-- The scan of a document, made once per version.
local function scanned(doc)
  if not doc.scan then doc.scan = scan(doc.text) end
  return doc.scan
end

-- The position (line, byte column, both 0-based) of byte offset off.
local function linecol(doc, off)
  local lo, hi = 1, #doc.starts
  while lo < hi do
    local mid = (lo + hi + 1) // 2
    if doc.starts[mid] <= off then lo = mid else hi = mid - 1 end
  end
  return lo - 1, off - doc.starts[lo]
end

local function decl_range(doc, d)
  local l, c = linecol(doc, d.s)
  return range(doc, l, c, c + (d.e - d.s + 1))
end
-- }======================================================

-- {====================================================== diagnostics

local function publish(doc)
  local list = {}
  for _, d in ipairs(doc.syntax or {}) do list[#list + 1] = d end
  if not doc.syntax or #doc.syntax == 0 then
    for _, d in ipairs(doc.rundiags or {}) do list[#list + 1] = d end
  end
  host.send({ method = "textDocument/publishDiagnostics",
              params = { uri = doc.uri, version = doc.version, diagnostics = list } })
end

-- "name:L:C: msg" or "name:L: msg" (the first line of a message) -> L, C, msg.
local function located(msg, chunk)
  local first = msg:match("^[^\n]*")
  local plain = chunk:gsub("%p", "%%%0")
  local l, c, rest = first:match("^" .. plain .. ":(%d+):(%d+): (.*)$")
  if l then return tonumber(l), tonumber(c), rest end
  l, rest = first:match("^" .. plain .. ":(%d+): (.*)$")
  if l then return tonumber(l), nil, rest end
  return nil, nil, first
end

-- A diagnostic at line l (1-based) and byte column c (1-based, or nil: the
-- whole line) of doc.
local function diag_at(doc, l, c, msg, sev)
  local n = math.max(0, math.min((l or 1) - 1, #doc.starts - 1))
  local r
  if c then
    local line = line_text(doc, n)
    local a = math.max(0, math.min(c - 1, #line))
    local word = line:match("^[%w_.$%%]+", a + 1)
    r = range(doc, n, a, math.min(#line, a + math.max(1, word and #word or 1)))
  else
    r = whole_line(doc, n)
  end
  return { range = r, severity = sev or SEV.Error, source = "deal", message = msg }
end

-- Syntax errors, at once: the translator, then Lua's parser; nothing runs.
local function check_syntax(doc)
  local chunk = doc.name
  local err = host.compile(doc.text, "=" .. chunk)
  if not err then return {} end
  local l, c, msg = located(err, chunk)
  return { diag_at(doc, l, c, msg) }
end

-- The number as check prints it: 0.6, 0.0042.
local function prob(p)
  if type(p) ~= "number" then return "?" end
  if p <= 0 or p >= 1 then return tostring(p >= 1 and 1 or 0) end
  if p < 0.01 then return ("%.2g"):format(p) end
  return ("%.2f"):format(p)
end

-- The chunk names a run of the buffer gives its messages ("stdin": the
-- text came on standard input).
local function ours(file)
  return file == nil or file == "stdin" or file == "-" or file == "=stdin"
end

-- The last message deal wrote on standard error ("deal: not enough
-- memory"), without the traceback; nil when there is none.
local function said(log)
  local last
  for line in (log or ""):gmatch("[^\n]+") do
    local m = line:match("^deal: (.*)$")
    if m then last = m end
  end
  return last and (last:gsub("^stdin:%d+:%d*:?%s*", ""):gsub("^error: ", ""))
end

-- The run's diagnostics from its outcome (vm/lsp.c) and export.
local function run_diagnostics(doc, out)
  local list, ex = {}, out.export
  if type(ex) == "table" then
    local e = ex.error
    if type(e) == "table" then
      local msg = tostring(e.message or "error")
      msg = msg:gsub("^stdin:%d+:%d+:%s*", ""):gsub("^stdin:%d+:%s*", "")
      if ours(e.file) and e.line then
        list[#list + 1] = diag_at(doc, e.line, e.column, msg)
      else
        local where = e.file and (e.file .. (e.line and (":" .. e.line) or "") .. ": ") or ""
        list[#list + 1] = diag_at(doc, 1, nil, where .. msg)
      end
    end
    for _, c in ipairs(ex.claims or {}) do
      if type(c) == "table" and c.holds == false then
        local why
        if c.p ~= nil then why = ("P = %s, below %s"):format(prob(c.p), tostring(c.threshold))
        else why = "it is false" end
        local line = ours(c.file) and c.line or 1
        list[#list + 1] = diag_at(doc, line, nil, ("claim fails: %s (%s)"):format(tostring(c.text), why))
      end
    end
  elseif out.status == "timeout" then
    list[#list + 1] = diag_at(doc, 1, nil,
      ("the model did not finish within its time limit (%g s): a loop that never ends?"):format(M.timeout or 0),
      SEV.Warning)
  elseif out.status == "crash" then
    list[#list + 1] = diag_at(doc, 1, nil, ("the run of the model was stopped by signal %s%s")
      :format(tostring(out.signal), said(out.log) and (": " .. said(out.log)) or ""), SEV.Warning)
  else
    list[#list + 1] = diag_at(doc, 1, nil, "the model could not be run: " .. (said(out.log) or
      tostring(out.why or out.status)), SEV.Warning)
  end
  return list
end

-- After each change: syntax errors at once; a clean buffer is run.
local function changed(doc)
  doc.scan = nil
  doc.starts = line_starts(doc.text)
  local had = doc.syntax and #doc.syntax > 0
  doc.syntax = check_syntax(doc)
  if #doc.syntax > 0 then
    host.cancel(doc.uri)
    doc.running = nil
    publish(doc)
    return
  end
  if had then                          -- the error is gone; the last run was of older text
    doc.rundiags = {}
    publish(doc)
  end
  local ok, why = host.run(doc.uri, doc.dir, doc.text)
  if ok then doc.running = doc.version
  else
    doc.rundiags = { diag_at(doc, 1, nil, why, SEV.Warning) }
    publish(doc)
  end
end

--- A run ended: its diagnostics, and its results for hover and symbols.
-- @param uri the document
-- @param out { status, signal, code, export = `deal --json`'s document, why }
function M.finished(uri, out)
  local doc = docs[uri]
  if not doc or doc.running == nil then return end
  doc.running = nil
  doc.rundiags = run_diagnostics(doc, out)
  if type(out.export) == "table" then
    doc.results = out.export.results or {}
    doc.samples = out.export.samples
  end
  publish(doc)
end
-- }======================================================

-- {====================================================== hover, completion

local function docindex_get()
  if not docindex then docindex = R.index(files) end
  return docindex
end

-- The dotted name around byte column col of line: its start and end
-- columns (0-based) and text, up to the end of the name under the cursor.
local function name_at(line, col)
  local a, b = col + 1, col
  while a > 1 and line:sub(a - 1, a - 1):match("[%w_.:]") do a = a - 1 end
  while b < #line and line:sub(b + 1, b + 1):match("[%w_]") do b = b + 1 end
  local s = line:sub(a, b)
  local lead = s:match("^[.:]*")
  a = a + #lead
  s = s:sub(#lead + 1)
  if s == "" or not s:match("^[%a_]") then return nil end
  return a - 1, b, s
end

-- The results of the latest run named `name` (and its fields).
local function results_for(doc, name, line)
  local exact, fields = nil, {}
  for _, r in ipairs(doc.results or {}) do
    if r.name == name and (not line or r.line == line) then exact = r end
    if r.name:sub(1, #name + 1) == name .. "." and (not line or r.line == line) then fields[#fields + 1] = r end
  end
  return exact, fields
end

local function result_md(r, samples)
  local facts = { r.kind }
  if r.dimension and r.dimension ~= "" then facts[#facts + 1] = r.dimension end
  if r.kind == "uncertain" or r.kind == "condition" then
    facts[#facts + 1] = ("%s samples"):format(tostring(r.samples or samples or "?"))
  end
  facts[#facts + 1] = "line " .. tostring(r.line)
  return ("```\n%s = %s\n```\n%s"):format(r.name, r.text, table.concat(facts, " · "))
end

-- Documentation of a stdlib name, or nil.
local function doc_md(path)
  local text = R.help(docindex_get(), path)
  if not text or text:match("^no documentation") then return nil end
  return "```\n" .. text .. "\n```"
end

-- Where the string that holds byte column col of line opens (the column
-- after its quote, 0-based) and its quote; nil outside strings. Also says
-- whether col is in a comment.
local function string_at(line, col)
  local i, q, qs = 1, nil, nil
  while i <= col do
    local c = line:sub(i, i)
    if q then
      if c == "\\" then i = i + 1 elseif c == q then q = nil end
    elseif c == '"' or c == "'" then q, qs = c, i
    elseif c == "-" and line:sub(i + 1, i + 1) == "-" then return nil, nil, true
    end
    i = i + 1
  end
  if q then return qs, q end
end

-- A catalog key in the string argument of chips.get: the chip as the
-- catalog prints it.
local function hover_chip(doc, pos, line, col)
  local qs, q = string_at(line, col)
  if not q or select(3, host.complete(line:sub(1, qs))) ~= K_CHIP then return nil end
  local close = line:find(q, qs + 1, true) or #line + 1
  local key = line:sub(qs + 1, close - 1)
  local ok, chip = pcall(chips.get, key)
  if not ok then return nil end
  return { contents = { kind = "markdown", value = "```\n" .. tostring(chip) .. "\n```" },
           range = range(doc, pos.line, qs, close - 1) }
end

local function hover(doc, pos)
  local line = line_text(doc, pos.line)
  local col = bytecol(line, pos.character)
  local chip = hover_chip(doc, pos, line, col)
  if chip then return chip end
  local a, b, path = name_at(line, col)
  if not path then return nil end
  local r = range(doc, pos.line, a, b)
  local sc = scanned(doc)
  local root = path:match("^[%a_][%w_]*")
  local off = doc.starts[pos.line + 1] + a
  local d = resolve(sc, root, off)
  local _, ws, wk = host.complete(line:sub(1, b))
  if wk == K_UNIT and ws == a then            -- a unit after a number
    local ok, q = pcall(units.parse, "1 " .. path)
    if ok then
      return { contents = { kind = "markdown", value = ("`%s`: a unit of %s"):format(path, tostring(units.dim(q))) },
               range = r }
    end
  end
  if d then
    if d.top or d.kind == "global" then
      local dl = linecol(doc, d.s) + 1
      local res, fields = results_for(doc, path, path == root and dl or nil)
      if not res and path ~= root then res, fields = results_for(doc, path, nil) end
      if res then return { contents = { kind = "markdown", value = result_md(res, doc.samples) }, range = r } end
      if #fields > 0 then
        local parts = {}
        for _, f in ipairs(fields) do parts[#parts + 1] = ("%s = %s"):format(f.name, f.text) end
        return { contents = { kind = "markdown", value = "```\n" .. table.concat(parts, "\n") .. "\n```" }, range = r }
      end
    end
    local m = path:match(":([%a_][%w_]*)$")       -- x:to() on a local: the method's doc
    local md = m and doc_md(m)
    if md then return { contents = { kind = "markdown", value = md }, range = r } end
    return nil
  end
  local md = doc_md(path)
  if md then return { contents = { kind = "markdown", value = md }, range = r } end
  return nil
end

-- Lua's type codes (lua.h's LUA_T*), as complete_names gives them.
local LUATYPE = { [0] = "nil", "boolean", "lightuserdata", "number", "string", "table", "function",
                  "userdata", "thread" }
local TYPEKIND = { ["function"] = CI.Function, table = CI.Module, string = CI.Value, userdata = CI.Value,
                   number = CI.Constant, boolean = CI.Constant }

local function completion(doc, pos)
  local line = line_text(doc, pos.line)
  local col = bytecol(line, pos.character)
  local before = line:sub(1, col)
  local _, _, comment = string_at(line, col)
  if comment then return { isIncomplete = false, items = {} } end
  local names, start, kind = host.complete(before)      -- the REPL's Tab, vm/complete.c
  if kind ~= K_IDENT and kind ~= K_UNIT and kind ~= K_CHIP then return { isIncomplete = false, items = {} } end
  local word = before:sub(start + 1)
  local cut = 0                                          -- the part the items replace
  if kind == K_IDENT then
    for p = #word, 1, -1 do
      local c = word:sub(p, p)
      if c == "." or c == ":" then cut = p break end
    end
  end
  local r = range(doc, pos.line, start + cut, col)
  local items, seen = {}, {}
  local index = docindex_get()
  local function add(label, ckind, detail, docs_text, sort)
    if seen[label] then return end
    seen[label] = true
    items[#items + 1] = { label = label, kind = ckind, detail = detail,
      documentation = docs_text and { kind = "markdown", value = docs_text } or nil,
      sortText = sort, textEdit = { range = r, newText = label } }
  end
  if kind == K_IDENT and cut == 0 then                   -- locals first
    local sc = scanned(doc)
    local here = doc.starts[pos.line + 1] + col
    for name, d in pairs(visible(sc, here)) do
      if name:sub(1, #word) == word and name ~= word then
        add(name, d.kind == "function" and CI.Function or CI.Variable,
            ("%s, line %d"):format(d.kind == "global" and "global" or "local", linecol(doc, d.s) + 1), nil, "0" .. name)
      end
    end
  end
  for full, t in pairs(names) do
    local label = full:sub(cut + 1)
    local ck
    if kind == K_UNIT then ck = CI.Unit
    elseif kind == K_CHIP then ck = CI.Constant
    elseif t == -1 then ck = CI.Keyword
    elseif word:sub(cut, cut) == ":" then ck = CI.Method
    else ck = TYPEKIND[LUATYPE[t] or ""] or CI.Value end
    local d = index[full]
    add(label, ck, d and d.sig or nil, d and d.text ~= "" and d.text or nil, "1" .. label)
  end
  return { isIncomplete = false, items = items }
end

local function definition(doc, pos)
  local line = line_text(doc, pos.line)
  local col = bytecol(line, pos.character)
  local a, _, path = name_at(line, col)
  if not path then return nil end
  local root = path:match("^[%a_][%w_]*")
  if #root < col - a then return nil end                 -- on a field: not a local
  local d = resolve(scanned(doc), root, doc.starts[pos.line + 1] + a)
  if not d then return nil end
  return { uri = doc.uri, range = decl_range(doc, d) }
end

-- The results as symbols: the model's top-level names, each with its
-- value from the latest run; a table's fields under it.
local function symbols(doc)
  local sc = scanned(doc)
  local out = {}
  for _, d in ipairs(sc.decls) do
    if d.top or (d.kind == "global" and d.scope == sc.root) then
      local l = linecol(doc, d.s) + 1
      local res, fields = results_for(doc, d.name, l)
      local r = whole_line(doc, l - 1)
      local sym = { name = d.name, kind = d.kind == "function" and 12 or 13,
                    detail = res and res.text or nil, range = r, selectionRange = decl_range(doc, d) }
      if #fields > 0 then
        sym.children = {}
        for _, f in ipairs(fields) do
          sym.children[#sym.children + 1] = { name = f.name:sub(#d.name + 2), kind = 8, detail = f.text,
                                              range = r, selectionRange = decl_range(doc, d) }
        end
      end
      out[#out + 1] = sym
    end
  end
  return out
end
-- }======================================================

-- {====================================================== documents

local function path_of(uri)
  local p = uri:match("^file://(.*)$")
  if not p then return nil end
  return (p:gsub("%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

local function open_doc(td)
  local path = path_of(td.uri)
  local doc = { uri = td.uri, version = td.version, text = td.text or "",
                name = path and path:match("([^/]+)$") or td.uri,
                dir = path and path:match("^(.*)/[^/]*$") or "" }
  if doc.dir == "" and path and path:sub(1, 1) == "/" then doc.dir = "/" end
  docs[td.uri] = doc
  changed(doc)
end

-- Applies a change: the whole text, or a range replaced (incremental sync).
local function apply(doc, ch)
  if not ch.range then doc.text = ch.text return end
  local a = offset(doc, ch.range.start)
  local b = offset(doc, ch.range["end"])
  doc.text = doc.text:sub(1, a - 1) .. ch.text .. doc.text:sub(b)
  doc.starts = line_starts(doc.text)
end
-- }======================================================

-- {====================================================== dispatch

local function capabilities()
  return {
    positionEncoding = utf8pos and "utf-8" or "utf-16",
    textDocumentSync = { openClose = true, change = 2, save = { includeText = false } },
    hoverProvider = true,
    completionProvider = { triggerCharacters = { ".", ":", '"', "'", " " } },
    definitionProvider = true,
    documentSymbolProvider = true,
  }
end

local requests = {}
local notes = {}

function requests.initialize(p)
  local enc = p.capabilities and p.capabilities.general and p.capabilities.general.positionEncodings
  for _, e in ipairs(enc or {}) do if e == "utf-8" then utf8pos = true end end
  return { capabilities = capabilities(), serverInfo = { name = "deal lsp", version = "0.1" } }
end

function requests.shutdown()
  shutdown = true
  for uri in pairs(docs) do host.cancel(uri) end
  return nil
end

function requests.__doc(p, f)
  local doc = docs[p.textDocument and p.textDocument.uri]
  if not doc then return nil end
  return f(doc, p.position)
end

requests["textDocument/hover"] = function(p) return requests.__doc(p, hover) end
requests["textDocument/completion"] = function(p) return requests.__doc(p, completion) end
requests["textDocument/definition"] = function(p) return requests.__doc(p, definition) end
requests["textDocument/documentSymbol"] = function(p) return requests.__doc(p, symbols) end

notes.initialized = function() end
notes.exit = function() host.exit(shutdown and 0 or 1) end
notes["$/cancelRequest"] = function() end
notes["$/setTrace"] = function() end
notes["textDocument/didOpen"] = function(p) open_doc(p.textDocument) end
notes["textDocument/didChange"] = function(p)
  local doc = docs[p.textDocument.uri]
  if not doc then return end
  for _, ch in ipairs(p.contentChanges or {}) do apply(doc, ch) end
  doc.version = p.textDocument.version
  changed(doc)
end
notes["textDocument/didSave"] = function() end
notes["textDocument/didClose"] = function(p)
  local uri = p.textDocument.uri
  host.cancel(uri)
  docs[uri] = nil
  host.send({ method = "textDocument/publishDiagnostics", params = { uri = uri, diagnostics = {} } })
end

--- One message from the client. Requests get their response here, an
-- error one when the handler fails (the message, without a traceback).
-- @param msg the message as a table
function M.handle(msg)
  local method, id = msg.method, msg.id
  if method == nil then return end                      -- a response to us: none asked
  if id == nil then
    local f = notes[method]
    if f and (not shutdown or method == "exit") then f(msg.params or {}) end
    return
  end
  local f = requests[method]
  if shutdown and method ~= "shutdown" then
    host.send({ id = id, error = { code = -32600, message = "the server is shutting down" } })
  elseif not f or method:sub(1, 2) == "__" then
    host.send({ id = id, error = { code = -32601, message = "method not found: " .. tostring(method) } })
  else
    local ok, res = pcall(f, msg.params or {})
    if ok then host.respond(id, res)
    else host.send({ id = id, error = { code = -32603, message = tostring(res) } }) end
  end
end

--- Start-up: the host's functions and the stdlib's sources.
-- @param h vm/lsp.c's functions
-- @param srcs list of { name, src } (for the doc index)
-- @param opts { timeout = seconds of each run }
function M.init(h, srcs, opts)
  host, files = h, srcs
  M.timeout = opts and opts.timeout
  R = require("repl")
  local mods = {}
  for _, f in ipairs(srcs) do
    local n = f.name
    if not n:match("^_") and not n:match("^catalog_") and not n:match("^prelude") and n ~= "repl" then
      mods[#mods + 1] = n
    end
  end
  host.setnames(R.names(mods))
end
-- }======================================================

return M

-- mk/modules_md.lua: writes docs/modules.md from the stdlib's doc comments,
-- the same ones `:help` shows (stdlib/_doc.lua reads them for both).
--   ./deal mk/modules_md.lua stdlib/*.lua > docs/modules.md     (make docs)
-- The page: stdlib/_modules.lua's comment (overview and conventions), then
-- one section per module in the order _modules returns, each the module's
-- top comment and its functions in source order. Indented blocks and
-- `example:` lines become ```deal blocks, which tests/docs/run.sh runs.
local D = require "_doc"
local ORDER = require "_modules"

local out = {}
local function emit(s) out[#out + 1] = s end

-- The module names and sources named on the command line.
local function sources(paths)
  local files = {}
  for _, path in ipairs(paths) do
    local name = path:match("([^/]+)%.lua$")
    if name then
      local f = assert(io.open(path, "rb"))
      files[#files + 1] = { name = name, src = f:read("a") }
      f:close()
    end
  end
  return files
end

-- A module's top comment without its first paragraph (the file's own
-- header, "stdlib/x.lua: ..."), as Markdown: an indented block after a blank
-- line is a ```deal example.
local function prose(text)
  local lines = {}
  for l in (text .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
  while lines[1] and lines[1] ~= "" do table.remove(lines, 1) end
  while lines[1] == "" do table.remove(lines, 1) end
  while lines[#lines] == "" do lines[#lines] = nil end
  local i, fence = 1, false
  while i <= #lines do
    local l = lines[i]
    if l:match("^```") then fence = not fence end
    if not fence and l:match("^  %S") and (i == 1 or lines[i - 1] == "") then
      emit("```deal")
      while i <= #lines and lines[i]:match("^  ") do
        emit(lines[i]:sub(3)); i = i + 1
      end
      emit("```")
    else
      emit(l); i = i + 1
    end
  end
end

-- One function's doc: summary and description, @param list, @return, example.
local function entry(e)
  local desc, params, returns, example = {}, {}, nil, nil
  local last
  for l in (e.text .. "\n"):gmatch("([^\n]*)\n") do
    local name, rest = l:match("^@param%s+(%S+)%s*(.*)$")
    if name then
      last = { name = name, text = rest }
      params[#params + 1] = last
    elseif l:match("^@return") then
      returns = l:match("^@return%s*(.*)$")
      last = nil
    elseif l:match("^example:") then
      example = l:match("^example:%s*(.*)$")
      last = nil
    elseif l:match("%S") then
      if last then last.text = last.text .. " " .. l:match("^%s*(.-)$")
      elseif not returns and not example then desc[#desc + 1] = l end
    end
  end
  emit("### `" .. e.sig:gsub("^%u", string.lower) .. "`")
  emit("")
  if #desc > 0 then emit(table.concat(desc, " ")); emit("") end
  if #params > 0 then
    for _, p in ipairs(params) do
      local n = p.name:gsub(",$", "")
      emit(("- `%s`%s %s"):format(n, n == p.name and ":" or ",", p.text))
    end
    emit("")
  end
  if returns then emit("Returns " .. returns); emit("") end
  if example then
    emit("```deal")
    for stmt in (example .. "; "):gmatch("(.-); ") do emit(stmt) end
    emit("```")
    emit("")
  end
end

-- Every function a module exports has a doc comment (the rule for adding one).
local function undocumented(docs)
  local missing = {}
  for _, mod in ipairs(ORDER) do
    for k, v in pairs(require(mod)) do
      local e = docs[mod .. "." .. k]
      if type(v) == "function" and not (e and e.text:match("%S")) then missing[#missing + 1] = mod .. "." .. k end
    end
  end
  table.sort(missing)
  return missing
end

local docs = D.index(sources(arg))
local guide = assert(docs.modules, "stdlib/_modules.lua is not among the sources")
local missing = undocumented(docs)
if #missing > 0 then
  error("no --- doc comment above " .. table.concat(missing, ", ") .. " (see stdlib/_doc.lua)", 0)
end
emit("# Modules: " .. table.concat(ORDER, ", "))
emit("")
prose(guide.text)
for _, mod in ipairs(ORDER) do
  local m = assert(docs[mod], "no source for module " .. mod)
  emit("")
  emit("## " .. mod)
  emit("")
  prose(m.text)
  emit("")
  local list = {}
  for key, e in pairs(docs) do
    if e.module == mod and not e.ismodule and e.text:match("%S") and not key:match("[.:]__") then
      list[#list + 1] = e
    end
  end
  table.sort(list, function(a, b) return a.line < b.line end)
  for _, e in ipairs(list) do entry(e) end
end
while out[#out] == "" do out[#out] = nil end
io.write(table.concat(out, "\n"), "\n")

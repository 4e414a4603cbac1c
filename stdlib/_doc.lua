-- stdlib/_doc.lua: the doc comments of the stdlib, read once for `:help`
-- (stdlib/repl.lua) and for docs/modules.md (mk/modules_md.lua, `make docs`):
-- one source for both.
--
-- The format:
-- - A module's doc is the comment block at the top of its file. Its first
--   paragraph names the file ("stdlib/chips.lua: the accelerator catalog");
--   the rest is Markdown, where a block indented by two spaces after a blank
--   line is a runnable .deal example (no blank line inside one) and a ```
--   fence is copied as it is.
-- - A function's doc is the `---` block right above `function M.name(`,
--   `function M:name(`, `function name(` or `M.name = function`: a summary
--   line, more description, `@param name text`, `@return text`, and
--   `example: code; more code` (one line, statements split at "; ").
-- - A `---` block above `M.name = value` documents a field (sites.reference).
-- - Files named `_*` are private: only their top comment is indexed, under
--   the name without "_" (`:help modules` is stdlib/_modules.lua).
local D = {}

-- The key of a definition `x<sep>name` in module mod (modvar: the table the
-- file returns): "chips.get", "chip:need" (methods of `methods`, `M`, `mt`
-- are named after the module's singular), "Series:add", or a global's name.
local function keyof(mod, modvar, x, sep, name)
  if x == nil then return name end
  if x == modvar or x == mod then return mod .. sep .. name end
  if x == "methods" or x == "M" or x == "mt" then return mod:gsub("s$", "") .. sep .. name end
  return x .. sep .. name
end

-- The definition on a line: table (or nil for a global), separator, name,
-- argument list; isfield for `M.name = value`.
local function definition(line)
  local x, sep, name, args = line:match("^function%s+([%a_][%w_]*)([.:])([%a_][%w_]*)%s*(%b())")
  if x then return x, sep, name, args end
  x, sep, name = line:match("^([%a_][%w_]*)(%.)([%a_][%w_]*)%s*=%s*function")
  if x then return x, sep, name, line:match("=%s*function%s*(%b())") end
  name, args = line:match("^function%s+([%a_][%w_]*)%s*(%b())")
  if name then return nil, nil, name, args end
  x, sep, name = line:match("^([%a_][%w_]*)(%.)([%a_][%w_]*)%s*=")
  if x then return x, sep, name, nil, true end
end

-- A field's signature: its name, with the @param names when it holds a function.
local function fieldsig(key, block)
  local args, seen = {}, {}
  for _, l in ipairs(block) do
    local p = l:match("^@param%s+([%a_][%w_]*)")
    if p and not seen[p] then seen[p] = true; args[#args + 1] = p end
  end
  if #args == 0 then return key end
  return key .. "(" .. table.concat(args, ", ") .. ")"
end

--- The doc comments of the embedded sources, keyed `module.name` (methods
-- `class:name`, globals `name`); a module's own entry is the comment at the
-- top of its file.
-- @param files list of { name = module name, src = source text }
-- @return table key -> { sig = signature, text = doc, module = name, line = n,
--   ismodule = true for a module's entry, private = true for a `_` file's }
function D.index(files)
  local docs = {}
  for _, f in ipairs(files) do
    local mod, src = f.name, f.src
    local private = mod:match("^_") ~= nil
    local modvar = src:match("\nreturn%s+([%a_][%w_]*)%s*$")
    local block, isdoc, head, top, n = {}, false, {}, true, 0
    for line in (src .. "\n"):gmatch("([^\n]*)\n") do
      n = n + 1
      local c = line:match("^%s*%-%-%-?%s?(.*)$")
      if c and not line:match("^%s*%-%-%[=*%[") then
        if c:match("^%-+$") then
          block, isdoc = {}, false
        else
          if #block == 0 then isdoc = line:match("^%s*%-%-%-") ~= nil end
          block[#block + 1] = c
        end
        if top then head[#head + 1] = c end
      else
        if top then
          top = false
          local key = private and mod:sub(2) or mod
          docs[key] = { sig = key, text = table.concat(head, "\n"), module = key, line = 0,
                        ismodule = true, private = private or nil }
        end
        local x, sep, name, args, isfield = definition(line)
        if name and not private and not mod:match("^catalog_") and (not isfield or (isdoc and #block > 0)) then
          local key = keyof(mod, modvar, x, sep, name)
          docs[key] = { sig = isfield and fieldsig(key, block) or key .. (args or "()"),
                        text = table.concat(block, "\n"), module = mod, line = n }
        end
        block, isdoc = {}, false
      end
    end
  end
  return docs
end

return D

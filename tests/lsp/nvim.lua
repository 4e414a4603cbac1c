-- tests/lsp/nvim.lua: Neovim's own LSP client (vim.lsp, Neovim 0.7 of
-- Debian 12) against `deal lsp`, headless:
--   DEAL=... LSP_DIR=... LSP_TAP=out.tap nvim --headless -u NONE -i NONE -S tests/lsp/nvim.lua
-- Opens a model with a unit error, waits for Neovim's diagnostics, hovers a
-- result, completes a unit, fixes the line and waits for the error to go.
-- Expected values come from `deal --json` run on the same file. TAP lines
-- go to LSP_TAP.
local deal, dir, tapfile = os.getenv("DEAL"), os.getenv("LSP_DIR"), os.getenv("LSP_TAP")
local tap = assert(io.open(tapfile, "w"))
local function check(name, good, diag)
  tap:write((good and "ok - " or "not ok - ") .. "nvim " .. name .. "\n")
  if not good and diag then tap:write("#   " .. vim.inspect(diag):gsub("\n", "\n#   "):sub(1, 600) .. "\n") end
  tap:flush()
end

local ok_all, err = pcall(function()
  local file = dir .. "/nvim_model.deal"
  local f = assert(io.open(file, "w"))
  f:write("local budget = $1B\nlocal power = 40 MW\nlocal oops = budget + power\nlocal p = 1.2 GW\n")
  f:close()
  local h = assert(io.popen(("'%s' --json --samples 2000 '%s' 2>/dev/null"):format(deal, file)))
  local ref = vim.fn.json_decode(h:read("a"))              -- stdout only: the export
  h:close()

  vim.cmd("edit " .. file)
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = "deal"
  local id = vim.lsp.start_client({ name = "deal", cmd = { deal, "lsp" }, root_dir = dir })
  check("starts the client", id ~= nil)
  vim.lsp.buf_attach_client(buf, id)

  local got = vim.wait(15000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
  local d = vim.diagnostic.get(buf)[1]
  check("shows a diagnostic for the unit error", got, vim.diagnostic.get(buf))
  check("the diagnostic is on line 3, where deal --json puts the error",
        d and ref.error and d.lnum == ref.error.line - 1, { d, ref.error })
  check("the diagnostic's message is deal's", d and ref.error and d.message:find(ref.error.message:match("[^:]*$"), 1, true),
        { d and d.message, ref.error })

  local uri = vim.uri_from_bufnr(buf)
  local res = vim.lsp.buf_request_sync(buf, "textDocument/hover",
    { textDocument = { uri = uri }, position = { line = 0, character = 8 } }, 5000)
  local text = ""
  for _, r in pairs(res or {}) do
    if r.result and r.result.contents then text = text .. (r.result.contents.value or "") end
  end
  check("hover on a result shows its value from the run", ref.results and ref.results[1]
        and text:find(ref.results[1].text, 1, true), { text, ref.results })

  res = vim.lsp.buf_request_sync(buf, "textDocument/completion",
    { textDocument = { uri = uri }, position = { line = 3, character = 15 } }, 5000)
  local labels = {}
  for _, r in pairs(res or {}) do
    for _, it in ipairs((r.result or {}).items or r.result or {}) do labels[it.label] = true end
  end
  check("completion of a unit after a number (1.2 G -> GW)", labels.GW, vim.tbl_keys(labels))

  vim.api.nvim_buf_set_lines(buf, 2, 3, false, { "local oops = power * 2" })
  got = vim.wait(15000, function() return #vim.diagnostic.get(buf) == 0 end, 20)
  check("fixing the line clears the diagnostic (incremental sync)", got, vim.diagnostic.get(buf))

  vim.api.nvim_buf_set_lines(buf, 1, 2, false, { "local power = (40 MW" })
  got = vim.wait(5000, function() return #vim.diagnostic.get(buf) > 0 end, 10)
  d = vim.diagnostic.get(buf)[1]
  check("a syntax error shows while typing", got and d and d.lnum >= 1, vim.diagnostic.get(buf))

  vim.lsp.stop_client(id)
  vim.wait(3000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
end)
if not ok_all then check("script ran", false, err) end
tap:close()
vim.cmd("qa!")

-- End-to-end scenario in a real editor: headless Neovim with the project's own Neovim
-- configuration (editors/neovim) opens a .env.production holding a weak secret, receives the
-- diagnostic, hovers the key, applies the quick fix the way `vim.lsp.buf.code_action` does
-- (resolve, apply the edit, run the command), and must then receive no diagnostic.
--
-- Usage: nvim --headless --clean -l nvim_scenario.lua <repo> <secretlint binary> <file>
-- Exit codes: 0 ok, 3 no client, 4 no diagnostic, 5 no quick fix, 6 diagnostics not cleared,
-- 7 a value leaked into a diagnostic or the hover.
local repo, bin, file = arg[1], arg[2], arg[3]
local timeout = tonumber(os.getenv('E2E_TIMEOUT_MS') or '20000')
-- The weak value in the file; nothing the server sends may contain it.
local weak = os.getenv('E2E_WEAK_VALUE') or 'dev-secret'

local function log(...)
  io.stdout:write(table.concat(vim.tbl_map(tostring, { ... }), ' ') .. '\n')
end

local function finish(code)
  for _, c in ipairs(vim.lsp.get_clients()) do
    c:stop()
  end
  vim.wait(2000, function()
    return #vim.lsp.get_clients() == 0
  end, 20)
  os.exit(code)
end

-- The shipped configuration, with the binary under test.
vim.opt.runtimepath:prepend(repo .. '/editors/neovim')
vim.cmd.runtime('plugin/secretlint.lua')
vim.lsp.config('secretlint', { cmd = { bin, 'lsp' } })
vim.lsp.enable('secretlint')

vim.cmd.edit(vim.fn.fnameescape(file))
local bufnr = vim.api.nvim_get_current_buf()
log('filetype:', vim.bo[bufnr].filetype)

local client
if not vim.wait(timeout, function()
  client = vim.lsp.get_clients({ bufnr = bufnr, name = 'secretlint' })[1]
  return client ~= nil and client.initialized
end, 20) then
  log('FAIL: secretlint did not attach')
  finish(3)
end
log('server:', client.server_info.name, client.server_info.version, 'encoding:', client.offset_encoding)

if not vim.wait(timeout, function()
  return #vim.diagnostic.get(bufnr) > 0
end, 20) then
  log('FAIL: no diagnostic')
  finish(4)
end
local diags = vim.diagnostic.get(bufnr)
for _, d in ipairs(diags) do
  local lsp = d.user_data and d.user_data.lsp or {}
  log(string.format('DIAG %d:%d [%s] %s: %s (%s)', d.lnum + 1, d.col + 1, d.source, d.code,
    d.message:gsub('\n.*', ''), lsp.codeDescription and lsp.codeDescription.href or 'no href'))
  if d.message:find(weak, 1, true) then
    log('FAIL: the value leaked into a diagnostic')
    finish(7)
  end
end

-- The strength finding is the one the quick fix is for (an age finding may come first).
local d = diags[1]
for _, x in ipairs(diags) do
  if x.code == (os.getenv('E2E_CODE') or 'too-short') then
    d = x
  end
end
local hover = client:request_sync('textDocument/hover', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  position = { line = d.lnum, character = 1 },
}, timeout, bufnr)
local hover_text = hover and hover.result and hover.result.contents.value or ''
log('HOVER', (hover_text:gsub('\n', ' | ')))
if hover_text:find(weak, 1, true) then
  log('FAIL: the value leaked into the hover')
  finish(7)
end

-- The quick fix, as vim.lsp.buf.code_action applies it.
local lsp_diag = d.user_data.lsp
local resp = client:request_sync('textDocument/codeAction', {
  textDocument = { uri = vim.uri_from_bufnr(bufnr) },
  range = lsp_diag.range,
  context = { diagnostics = { lsp_diag }, only = { 'quickfix' } },
}, timeout, bufnr)
local actions = resp and resp.result or {}
for _, a in ipairs(actions) do
  log('ACTION', a.title, a.edit and '(edit)' or a.command and '(command)' or '(resolve)')
end
local action = actions[1]
if action and not action.edit then
  local r = client:request_sync('codeAction/resolve', action, timeout, bufnr)
  action = r and r.result or action
end
if not (action and action.edit) then
  log('FAIL: no quick fix with an edit')
  finish(5)
end
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
if action.command then
  log('COMMAND', action.command.command)
  client:exec_cmd(action.command, { bufnr = bufnr })
end
if not vim.wait(timeout, function()
  return #vim.diagnostic.get(bufnr) == 0
end, 20) then
  for _, left in ipairs(vim.diagnostic.get(bufnr)) do
    log('LEFT', left.code, left.message)
  end
  log('FAIL: diagnostics not cleared after the fix')
  finish(6)
end
local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
for i, line in ipairs(lines) do
  -- Show the shape of the fixed file, not the new secret.
  log('AFTER ' .. i .. ': ' .. line:gsub('=(.*)$', function(v)
    return '=<' .. #v .. ' characters>'
  end))
end
log('OK: 0 diagnostics after the fix')
finish(0)

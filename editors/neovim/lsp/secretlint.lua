-- secretlint language server for Neovim 0.11+ (`vim.lsp.config`). Found on 'runtimepath' as
-- `lsp/secretlint.lua`; enable it with `vim.lsp.enable('secretlint')`.
return {
  cmd = { 'secretlint', 'lsp' },
  -- `dotenv` comes from ../plugin/secretlint.lua; Kubernetes and compose manifests are YAML.
  filetypes = { 'dotenv', 'yaml' },
  root_markers = { 'secretlint.toml', '.git' },
  init_options = {
    -- Show each secret's age at the end of its line ("rotated 12 days ago · due in 18").
    inlayHints = false,
  },
}

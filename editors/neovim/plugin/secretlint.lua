-- Filetype detection for env files. Neovim calls `.env` and `*.env` `sh`, and gives
-- `.env.production` no filetype at all; the secretlint server only attaches to `dotenv`.
vim.filetype.add({
  filename = { ['.env'] = 'dotenv' },
  pattern = {
    ['%.env%.[%w_.-]+'] = 'dotenv',
    ['.*%.env'] = 'dotenv',
  },
})

-- Highlight dotenv buffers like shell assignments, which is what they look like.
vim.treesitter.language.register('bash', 'dotenv')

;;; secretlint.el --- secretlint language server with eglot -*- lexical-binding: t; -*-

;; Emacs 29+ (eglot is built in). Load this file from your init, or copy the forms below.

;;; Commentary:
;; Starts `secretlint lsp' for env files through eglot.  Emacs has no dotenv mode built in, so
;; a small one is derived from `conf-unix-mode' for `.env', `.env.*' and `*.env'.

;;; Code:

(require 'eglot)

(define-derived-mode secretlint-dotenv-mode conf-unix-mode "dotenv"
  "Major mode for .env files, checked by secretlint.")

(add-to-list 'auto-mode-alist '("/\\.env\\(\\..*\\)?\\'" . secretlint-dotenv-mode))
(add-to-list 'auto-mode-alist '("\\.env\\'" . secretlint-dotenv-mode))

;; eglot runs one server per buffer: adding YAML or TOML modes here would replace
;; yaml-language-server or taplo in those buffers, so only env files are claimed.
(add-to-list 'eglot-server-programs
             '(secretlint-dotenv-mode . ("secretlint" "lsp" :initializationOptions (:inlayHints :json-false))))

(add-hook 'secretlint-dotenv-mode-hook #'eglot-ensure)

(provide 'secretlint)
;;; secretlint.el ends here

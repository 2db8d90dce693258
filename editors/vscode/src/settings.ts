// How the extension's settings become the server's command line, environment and
// initialization options. Kept free of the `vscode` module so it can be tested with plain Node.

/** The settings the extension reads, as VS Code returns them. */
export interface Settings {
  path?: string;
  policy?: string;
  inlayHints?: boolean;
  logLevel?: string;
}

/** The server's command line: the configured binary, else `secretlint` from PATH. */
export function serverCommand(settings: Settings): { command: string; args: string[] } {
  const configured = (settings.path ?? '').trim();
  return { command: configured === '' ? 'secretlint' : configured, args: ['lsp'] };
}

/** The server's environment: the log filter, on top of the extension host's environment. */
export function serverEnv(settings: Settings, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const levels = ['error', 'warn', 'info', 'debug'];
  const level = levels.includes(settings.logLevel ?? '') ? settings.logLevel : 'warn';
  return { ...base, SECRETLINT_LOG: level };
}

/** What the server reads from `initializationOptions`. */
export function initializationOptions(settings: Settings): { policy?: string; inlayHints: boolean } {
  const policy = (settings.policy ?? '').trim();
  return { ...(policy === '' ? {} : { policy }), inlayHints: settings.inlayHints === true };
}

/** Settings whose change needs a server restart (the rest are read per request). */
export const RESTART_SETTINGS = ['secretlint.path', 'secretlint.policy', 'secretlint.inlayHints', 'secretlint.logLevel'];

// The VS Code client of `secretlint lsp`: starts the server over stdio for dotenv files (a
// language this extension registers), YAML manifests and the policy file.
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

import { RESTART_SETTINGS, Settings, initializationOptions, serverCommand, serverEnv } from './settings';

let client: LanguageClient | undefined;

function readSettings(): Settings {
  const config = vscode.workspace.getConfiguration('secretlint');
  return {
    path: config.get<string>('path'),
    policy: config.get<string>('policy'),
    inlayHints: config.get<boolean>('inlayHints'),
    logLevel: config.get<string>('logLevel'),
  };
}

function createClient(settings: Settings): LanguageClient {
  const { command, args } = serverCommand(settings);
  const options = { env: serverEnv(settings, process.env) };
  const serverOptions: ServerOptions = { run: { command, args, options }, debug: { command, args, options } };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dotenv' },
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', pattern: '**/secretlint.toml' },
      { scheme: 'file', pattern: '**/.secretlint/*.toml' },
    ],
    initializationOptions: initializationOptions(settings),
    // The server registers its own file watchers (policy, env files, rotation metadata).
  };
  return new LanguageClient('secretlint', 'secretlint', serverOptions, clientOptions);
}

async function restart(): Promise<void> {
  await client?.stop();
  client = createClient(readSettings());
  await client.start();
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand('secretlint.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) {
        await restart();
      }
    }),
  );
  client = createClient(readSettings());
  try {
    await client.start();
  } catch (err) {
    const { command } = serverCommand(readSettings());
    void vscode.window.showErrorMessage(
      `secretlint: could not start \`${command} lsp\` (${String(err)}). Install secretlint or set "secretlint.path".`,
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

// Unit tests of the settings logic, run with `node --test` (VS Code itself cannot run here).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { initializationOptions, serverCommand, serverEnv } from '../settings';

test('the binary comes from PATH unless configured', () => {
  assert.deepEqual(serverCommand({}), { command: 'secretlint', args: ['lsp'] });
  assert.deepEqual(serverCommand({ path: '  ' }), { command: 'secretlint', args: ['lsp'] });
  assert.deepEqual(serverCommand({ path: '/opt/bin/secretlint' }), { command: '/opt/bin/secretlint', args: ['lsp'] });
});

test('the log level reaches the server, and only known levels do', () => {
  assert.equal(serverEnv({ logLevel: 'debug' }, { HOME: '/h' }).SECRETLINT_LOG, 'debug');
  assert.equal(serverEnv({ logLevel: 'trace' }, {}).SECRETLINT_LOG, 'warn');
  assert.equal(serverEnv({}, { HOME: '/h' }).HOME, '/h');
});

test('initialization options carry the policy and inlay hints', () => {
  assert.deepEqual(initializationOptions({}), { inlayHints: false });
  assert.deepEqual(initializationOptions({ policy: 'policy/jobswipe.toml', inlayHints: true }), {
    policy: 'policy/jobswipe.toml',
    inlayHints: true,
  });
});

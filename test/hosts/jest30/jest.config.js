import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The kit imports RJSF's Form from @rjsf/core's ES modules (`@rjsf/core/lib/…`); under CommonJS
// those paths point at files @rjsf/core does not ship, so map them to the ES modules themselves.
const rjsfCoreLib = path.dirname(fileURLToPath(import.meta.resolve('@rjsf/core/lib/index.js')));

/** @type {import('jest').Config} */
export default {
  testEnvironment: './jest.environment.js',
  transform: { '\\.[cm]?[jt]sx?$': 'babel-jest' },
  // airbyte-embed-kit and some of its dependencies ship ES modules only: let Babel compile them too.
  transformIgnorePatterns: ['/node_modules/(?!(airbyte-embed-kit|@rjsf|@x0k|@cfworker|@tanstack|markdown-to-jsx|croner|cronstrue|re2js|ret|jose|pure-rand|dompurify)/)'],
  moduleNameMapper: { '^@rjsf/core/lib/(.*)$': `${rjsfCoreLib}/$1` },
};

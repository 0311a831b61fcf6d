/** @type {import('jest').Config} */
export default {
  testEnvironment: './jest.environment.js',
  transform: { '\\.[cm]?[jt]sx?$': 'babel-jest' },
  // airbyte-embed-kit and some of its dependencies ship ES modules only: let Babel compile them too.
  transformIgnorePatterns: ['/node_modules/(?!(airbyte-embed-kit|@rjsf|@x0k|@cfworker|@tanstack|markdown-to-jsx|croner|cronstrue|re2js|ret|jose|pure-rand|dompurify)/)'],
};

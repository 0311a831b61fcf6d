/**
 * RJSF's `Form` and default registry, imported from their own modules rather than from
 * `@rjsf/core`'s index. Why: that index also exports `getTestRegistry`, which imports
 * `@rjsf/validator-ajv8`, a package @rjsf/core does not depend on. Through the index, every host
 * bundler has to resolve it (so the kit had to install it, with ajv: 4 MB and 6 packages a page
 * never loads), and a strict installer (Yarn Plug'n'Play) cannot. `@rjsf/core` exports these
 * paths (`./lib/*.js`).
 *
 * Trap for CommonJS hosts (Jest): those paths map to `dist/*.cjs` files @rjsf/core does not ship,
 * so a Jest config maps them to the ES modules it compiles (README, "Testing your app with the kit").
 */
export { default as Form } from '@rjsf/core/lib/components/Form.js';
export { default as getDefaultRegistry } from '@rjsf/core/lib/getDefaultRegistry.js';

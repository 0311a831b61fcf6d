/**
 * Loads a package the kit declares as an optional peer dependency: one feature of the server or
 * the emulator needs it (PGlite for the embedded store, `pg` for PostgreSQL, `@hono/node-server`
 * for Node's `http`, `openapi-backend` for the emulator), so a browser-only host never installs
 * it. When it is not installed, the error says which package to install and why, instead of
 * Node's "Cannot find package". Trap: `load` must call import() with a string literal, so the
 * bundler keeps the specifier external and TypeScript types the module.
 */
export async function importOptionalPeer<T>(name: string, load: () => Promise<T>, need: OptionalPeerNeed): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, name)) throw new Error(missingPeerMessage(name, need), { cause: error });
    throw error;
  }
}

/** Who needs the package and for what, and what else the host could do instead. */
export interface OptionalPeerNeed {
  entry: 'server' | 'testing';
  /** "its default store (createEmbeddedStore…)". */
  feature: string;
  /** "pass a PostgreSQL store". */
  alternative?: string | undefined;
}

/** "airbyte-embed-kit/server needs pg for createPostgresStore: npm install pg". */
export function missingPeerMessage(name: string, need: OptionalPeerNeed): string {
  return `airbyte-embed-kit/${need.entry} needs ${name} for ${need.feature}: npm install ${name}${need.alternative ? ` (or ${need.alternative})` : ''}`;
}

/** Whether `error` is Node's (or Vite's) "this package is not installed" for `name` itself. */
export function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the package itself: a broken install of one of its own dependencies says something else.
  return typeof message === 'string' && (message.includes(`'${name}'`) || message.includes(`"${name}"`));
}

/**
 * What the proxy remembers that Airbyte cannot tell it cheaply. The public API has no lookup of
 * workspaces by name, so the customer → workspace mapping lives here.
 */
export interface ProxyStore {
  getWorkspaceId(customerId: string): Promise<string | undefined>;
  setWorkspaceId(customerId: string, workspaceId: string): Promise<void>;
  /** Remembers which template and customer a source came from. */
  recordSource(record: SourceRecord): Promise<void>;
  getSource(sourceId: string): Promise<SourceRecord | undefined>;
}

export interface SourceRecord {
  sourceId: string;
  customerId: string;
  templateId: string;
  connectionIds: string[];
  destinationNames: Record<string, string>;
  createdAt: number;
}

/**
 * The zero-setup default: state in process memory. Trap: it forgets everything on restart, and
 * two proxy processes do not share it; use a persistent store for production.
 */
export function createMemoryStore(): ProxyStore {
  const workspaces = new Map<string, string>();
  const sources = new Map<string, SourceRecord>();
  return {
    async getWorkspaceId(customerId) {
      return workspaces.get(customerId);
    },
    async setWorkspaceId(customerId, workspaceId) {
      workspaces.set(customerId, workspaceId);
    },
    async recordSource(record) {
      sources.set(record.sourceId, structuredClone(record));
    },
    async getSource(sourceId) {
      const record = sources.get(sourceId);
      return record && structuredClone(record);
    },
  };
}

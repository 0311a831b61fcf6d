import type { FieldError } from '../shared/contract.ts';
import { ConfigValidator } from '../shared/configValidator.ts';
import type { AirbyteClient } from './airbyteClient.ts';
import type { ConnectionTemplate } from './templates.ts';

const validator = new ConfigValidator();

/**
 * What is wrong with a connection template's `destination_config`, checked against the
 * destination connector's own spec, so a template Airbyte would refuse at a customer's first
 * connect is refused when it is sent (or logged when it is loaded). The spec comes from the
 * Config API (self-managed Airbyte, the emulator); where Airbyte cannot tell (Cloud: no spec
 * endpoint, 401/403/404/501, an unknown definition) the answer is `undefined`: not checked, not refused. Values the
 * destination spec marks `airbyte_secret` are never echoed: the messages name paths and rules.
 */
export async function destinationConfigProblems(airbyte: AirbyteClient, template: Pick<ConnectionTemplate, 'destination_definition_id' | 'destination_config'>, workspaceId: string | undefined): Promise<FieldError[] | undefined> {
  let spec: Record<string, unknown> | undefined;
  try {
    const id = workspaceId ?? (await airbyte.listWorkspaces())[0]?.workspaceId;
    if (!id) return undefined;
    spec = (await airbyte.getDestinationSpec(template.destination_definition_id, id)).connectionSpecification;
  } catch {
    // No spec endpoint (Cloud), no permission, an unknown definition: Airbyte cannot tell here.
    return undefined;
  }
  if (!spec || typeof spec !== 'object') return undefined;
  return validator.validate(spec, template.destination_config).map((e) => ({ ...e, path: ['destination_config', ...e.path] }));
}

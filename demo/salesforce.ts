/**
 * The demo's second sign-in connector: Salesforce, whose whole form is the OAuth option (a root
 * `auth_type` const) and whose provider needs `is_sandbox` before consent. A shortened hand-written
 * spec of the real one, so `npm start` and the e2e tests run its flow offline.
 */
import type { SourceTemplate } from '../src/server/templates.ts';
import type { ConnectorDefinition } from '../src/testing/connectors.ts';

const DEFINITION_ID = 'b117307c-14b6-41aa-9422-947e34922962';

const advancedAuth = {
  auth_flow_type: 'oauth2.0',
  predicate_key: ['auth_type'],
  predicate_value: 'Client',
  oauth_config_specification: {
    oauth_user_input_from_connector_config_specification: { type: 'object', additionalProperties: false, properties: { is_sandbox: { type: 'boolean', path_in_connector_config: ['is_sandbox'] } } },
    complete_oauth_output_specification: { type: 'object', additionalProperties: false, properties: { refresh_token: { type: 'string', path_in_connector_config: ['refresh_token'] } } },
    complete_oauth_server_input_specification: { type: 'object', additionalProperties: false, properties: { client_id: { type: 'string' }, client_secret: { type: 'string' } } },
    complete_oauth_server_output_specification: {
      type: 'object',
      additionalProperties: false,
      properties: { client_id: { type: 'string', path_in_connector_config: ['client_id'] }, client_secret: { type: 'string', path_in_connector_config: ['client_secret'] } },
    },
  },
};

const spec = {
  type: 'object',
  required: ['client_id', 'client_secret', 'refresh_token'],
  properties: {
    is_sandbox: { type: 'boolean', title: 'Sandbox', description: 'Whether the account is a Salesforce sandbox.', default: false, order: 1 },
    auth_type: { type: 'string', const: 'Client' },
    client_id: { type: 'string', title: 'Client ID', order: 2 },
    client_secret: { type: 'string', title: 'Client Secret', airbyte_secret: true, order: 3 },
    refresh_token: { type: 'string', title: 'Refresh Token', airbyte_secret: true, order: 4 },
    start_date: { type: 'string', title: 'Start Date', format: 'date-time', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$', order: 5 },
  },
};

/** The emulator's Salesforce. */
export const salesforceConnector: ConnectorDefinition = { id: DEFINITION_ID, type: 'source', name: 'Salesforce', dockerRepository: 'airbyte/source-salesforce', dockerImageTag: '2.7.0', spec, advancedAuth };

/** The demo's Salesforce template. */
export const salesforceTemplate: SourceTemplate = {
  id: 'salesforce',
  name: 'Salesforce',
  actorDefinitionId: DEFINITION_ID,
  partialDefaultConfig: {},
  partialUserConfigSpec: { connectionSpecification: spec, advancedAuth },
};

/**
 * The demo's sign-in connector: HubSpot, with a shortened hand-written spec (the real one's OAuth
 * and private-app options) and its `advancedAuth`, so `npm start` shows "Sign in with HubSpot"
 * and runs the whole consent flow against the emulator, offline.
 */
import type { SourceTemplate } from '../src/server/templates.ts';
import type { ConnectorDefinition } from '../src/testing/connectors.ts';

const DEFINITION_ID = '36c891d9-4bd9-43ac-bad2-10e12756272c';

const advancedAuth = {
  auth_flow_type: 'oauth2.0',
  predicate_key: ['credentials', 'credentials_title'],
  predicate_value: 'OAuth Credentials',
  oauth_config_specification: {
    complete_oauth_output_specification: { type: 'object', additionalProperties: false, properties: { refresh_token: { type: 'string', path_in_connector_config: ['credentials', 'refresh_token'] } } },
    complete_oauth_server_input_specification: { type: 'object', additionalProperties: false, properties: { client_id: { type: 'string' }, client_secret: { type: 'string' } } },
    complete_oauth_server_output_specification: {
      type: 'object',
      additionalProperties: false,
      properties: { client_id: { type: 'string', path_in_connector_config: ['credentials', 'client_id'] }, client_secret: { type: 'string', path_in_connector_config: ['credentials', 'client_secret'] } },
    },
  },
};

const spec = {
  type: 'object',
  required: ['credentials'],
  properties: {
    credentials: {
      type: 'object',
      title: 'Authentication',
      order: 0,
      oneOf: [
        {
          type: 'object',
          title: 'OAuth',
          required: ['client_id', 'client_secret', 'refresh_token', 'credentials_title'],
          properties: {
            credentials_title: { type: 'string', title: 'Auth Type', const: 'OAuth Credentials', order: 0 },
            client_id: { type: 'string', title: 'Client ID', airbyte_secret: true },
            client_secret: { type: 'string', title: 'Client Secret', airbyte_secret: true },
            refresh_token: { type: 'string', title: 'Refresh Token', airbyte_secret: true },
          },
        },
        {
          type: 'object',
          title: 'Private App',
          required: ['access_token', 'credentials_title'],
          properties: {
            credentials_title: { type: 'string', title: 'Auth Type', const: 'Private App Credentials', order: 0 },
            access_token: { type: 'string', title: 'Access token', description: 'The access token of your HubSpot private app.', airbyte_secret: true },
          },
        },
      ],
    },
    start_date: { type: 'string', title: 'Start date', format: 'date-time', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$', order: 1 },
  },
};

/** The emulator's HubSpot. */
export const hubspotConnector: ConnectorDefinition = { id: DEFINITION_ID, type: 'source', name: 'HubSpot', dockerRepository: 'airbyte/source-hubspot', dockerImageTag: '4.0.0', spec, advancedAuth };

/** The demo's HubSpot template: the connector's spec pasted whole, `advancedAuth` beside it. */
export const hubspotTemplate: SourceTemplate = {
  id: 'hubspot',
  name: 'HubSpot',
  actorDefinitionId: DEFINITION_ID,
  partialDefaultConfig: {},
  partialUserConfigSpec: { connectionSpecification: spec, advancedAuth },
};

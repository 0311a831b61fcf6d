/**
 * `airbyte-embed-kit/testing`: a local emulator of the Airbyte public API, so the whole
 * onboarding flow runs and is tested with no Airbyte account. Node only.
 */
export {
  startAirbyteEmulator,
  createAirbyteEmulatorHandler,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  type AirbyteEmulator,
  type AirbyteEmulatorOptions,
  type ResponseRecord,
} from './testing/emulator.ts';
export { BUILT_IN_CONNECTORS, loadConnectorSpecsDir, type ConnectorDefinition, type StreamInfo } from './testing/connectors.ts';
export { FaultInjector, type FaultRule } from './testing/faults.ts';

/**
 * `airbyte-embed-kit/testing`: a local emulator of the Airbyte public API, so the whole
 * onboarding flow runs and is tested with no Airbyte account. Node only.
 */
export {
  startAirbyteEmulator,
  createEmulatorHandler,
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  type AirbyteEmulator,
  type AirbyteEmulatorOptions,
} from './testing/emulator.ts';

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAirbyteEmulator, type AirbyteEmulator } from '../../src/testing/emulator.ts';
import { allowedHosts } from '../../src/testing/hostCheck.ts';

/** A raw HTTP request with the Host header a browser on another site would send after DNS rebinding. */
function statusWithHost(port: number, host: string, path = '/v1/health'): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('end', () => resolve(Number(/HTTP\/1\.1 (\d+)/.exec(data)?.[1])));
    socket.on('error', reject);
  });
}

describe('development servers answer only for their own address', () => {
  let emulator: AirbyteEmulator;
  beforeAll(async () => {
    emulator = await startAirbyteEmulator({});
  });
  afterAll(() => emulator.close());

  it('the emulator refuses a request whose Host is another site (DNS rebinding) with 421', async () => {
    const port = Number(new URL(emulator.url).port);
    expect(await statusWithHost(port, `attacker.example:${port}`)).toBe(421);
    expect(await statusWithHost(port, `127.0.0.1:${port + 1}`)).toBe(421);
    expect(await statusWithHost(port, `localhost:${port}`)).not.toBe(421);
    expect(await statusWithHost(port, `127.0.0.1:${port}`)).not.toBe(421);
  });

  it('accepts the loopback names and the bound address on the bound port only', () => {
    const ok = allowedHosts('0.0.0.0', 4321);
    expect(['localhost:4321', '127.0.0.1:4321', '[::1]:4321', 'LOCALHOST:4321'].every(ok)).toBe(true);
    expect(['evil.example:4321', 'localhost:80', 'localhost', undefined].some((h) => ok(h as string))).toBe(false);
    expect(allowedHosts('192.168.1.10', 8080)('192.168.1.10:8080')).toBe(true);
  });
});

/**
 * Scenario 5: for every customer route, requests with another customer's ids, another customer's
 * token, an expired token, a tampered token, a token used from another origin, and no token:
 * none may succeed or reveal the other customer's data.
 */
import { describe, expect, it } from 'vitest';
import { routes } from '../../src/shared/contract.ts';
import { createSessionToken } from '../../src/server/sessionToken.ts';
import { harness, ORIGIN, SESSION_SECRET } from '../server/harness.ts';
import { report } from './figures.ts';

describe('scenario 5: tenant isolation', () => {
  it('lets nobody into another customer’s sources, connections or jobs', async () => {
    const h = await harness();
    const victim = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct_victim', client_secret: 'sk_victim_canary' } }, token: await h.token('victim'), idempotencyKey: 'victim-onboarding-1' });
    expect(victim.status).toBe(201);
    const sourceId = victim.json.source.sourceId as string;
    const connectionId = victim.json.connections[0].connection.connectionId as string;
    const tamper = async () => {
      const [head, payload, sig] = (await h.token('attacker')).split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      claims.sub = 'victim';
      return `${head}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
    };
    const attacks: Array<[string, () => Promise<{ token: string | null; origin?: string }>]> = [
      ['another customer’s token, victim’s ids', async () => ({ token: await h.token('attacker') })],
      ['expired victim token', async () => ({ token: await createSessionToken({ secret: SESSION_SECRET, customerId: 'victim', allowedOrigin: ORIGIN, expiresIn: -1 }) })],
      ['tampered token claiming the victim', async () => ({ token: await tamper() })],
      ['token signed with another secret', async () => ({ token: await createSessionToken({ secret: 'x'.repeat(40), customerId: 'victim', allowedOrigin: ORIGIN }) })],
      ['victim token from another origin', async () => ({ token: await h.token('victim'), origin: 'https://evil.example' })],
      ['no token', async () => ({ token: null })],
    ];
    const params: Record<string, string> = { sourceId, connectionId, templateId: 'stripe', key: 'victim-onboarding-1' };
    let tried = 0;
    let refused = 0;
    const leaks: string[] = [];
    for (const [name, def] of Object.entries(routes)) {
      const path = def.path.replace(/:([A-Za-z]+)/g, (_, k: string) => params[k]!);
      for (const [attack, make] of attacks) {
        // Routes that are not about one customer's resources (the catalog) are only refused without a valid session.
        const ownsNothing = name === 'listTemplates' || name === 'getTemplate' || name === 'createSource' || name === 'listSources' || name === 'startOAuth';
        if (attack.startsWith('another customer') && ownsNothing) continue;
        const { token, origin } = await make();
        const body = def.method === 'POST' || def.method === 'PATCH' ? (name === 'createSource' ? { templateId: 'stripe', config: { account_id: 'a', client_secret: 'b' } } : { name: 'pwned' }) : undefined;
        const res = await h.call(def.method, path, { token, origin, body });
        tried++;
        if (res.status === 401 || res.status === 403 || res.status === 404) refused++;
        else leaks.push(`${attack} → ${def.method} ${def.path}: ${res.status}`);
        if (res.text.includes('acct_victim') || res.text.includes('sk_victim_canary')) leaks.push(`${attack} → ${def.method} ${def.path} revealed data`);
      }
    }
    const after = await h.upstream(`/sources/${sourceId}`);
    report('5 tenants', [{ scenario: '5 tenants', check: 'hostile requests refused (401/403/404), nothing revealed', tried, held: refused - leaks.filter((l) => l.endsWith('revealed data')).length, note: `${Object.keys(routes).length} routes × ${attacks.length} attacks` }]);
    expect(leaks).toEqual([]);
    expect(refused).toBe(tried);
    expect(after.name).toBe('Stripe');
    expect((await h.upstream('/sources')).data).toHaveLength(1);
  });
  it('answers hostile ids in every route (prototype names, dot segments, NUL, the victim’s id in capitals) with a 4xx, never 5xx or data', async () => {
    const h = await harness();
    const victim = await h.call('POST', '/sources', { body: { templateId: 'stripe', config: { account_id: 'acct_victim', client_secret: 'sk_victim_canary' } }, token: await h.token('victim'), idempotencyKey: 'victim-onboarding-2' });
    expect(victim.status).toBe(201);
    const sourceId = victim.json.source.sourceId as string;
    const connectionId = victim.json.connections[0].connection.connectionId as string;
    const hostile = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '%2e%2e', '..%2f..%2foperator', '%00', '%E2%80%AE', 'a'.repeat(5000), sourceId.toUpperCase(), connectionId.toUpperCase(), ` ${sourceId}`];
    const attacker = await h.token('attacker');
    let tried = 0;
    const bad: string[] = [];
    for (const [name, def] of Object.entries(routes)) {
      if (!def.path.includes(':')) continue;
      for (const id of hostile) {
        const path = def.path.replace(/:([A-Za-z]+)/g, () => encodeURI(id).replace(/%25/g, '%'));
        const body = def.method === 'POST' || def.method === 'PATCH' ? { name: 'pwned' } : undefined;
        const res = await h.call(def.method, path, { token: attacker, body });
        tried++;
        if (res.status < 400 || res.status >= 500) bad.push(`${name} ${path.slice(0, 80)}: ${res.status}`);
        if (res.text.includes('acct_victim') || res.text.includes('sk_victim_canary') || res.text.includes(`"sourceId":"${sourceId}"`) || res.text.includes(`"connectionId":"${connectionId}"`)) bad.push(`${name} ${path.slice(0, 80)} revealed the victim`);
      }
    }
    report('5 tenants ids', [{ scenario: '5 tenants', check: 'hostile ids (prototype names, dot segments, NUL, capitals) refused with a 4xx, nothing revealed', tried, held: tried - bad.length, note: `${hostile.length} ids × every route with an id` }]);
    expect(bad).toEqual([]);
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect((await h.upstream(`/sources/${sourceId}`)).name).toBe('Stripe');
  });
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONNECTOR_ALIASES, matchesQuery, searchTerms } from '../../src/shared/catalogSearch.ts';

const INDEX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/connector-specs/index.json');
const corpus = existsSync(INDEX);
/** The registry's display names of every source in ../shared/connector-specs. */
const displayNames: string[] = corpus ? (JSON.parse(readFileSync(INDEX, 'utf8')) as { connectors: Array<{ file: string; displayName: string }> }).connectors.filter((c) => c.file.startsWith('sources/')).map((c) => c.displayName) : [];

const t = (name: string, category?: string) => ({ name, ...(category ? { category } : {}) });
const found = (names: string[], query: string) => names.filter((name) => matchesQuery(t(name), query));

describe('catalog search', () => {
  it('finds connectors by the names people use for them', () => {
    const catalog = ['Facebook Marketing', 'Facebook Pages', 'Google Ads', 'Google Analytics 4 (GA4)', 'Google Sheets', 'Salesforce', 'Postgres', 'Microsoft SQL Server (MSSQL)', 'MySQL', 'Stripe'];
    expect(found(catalog, 'facebook ads')).toEqual(['Facebook Marketing']);
    expect(found(catalog, 'adwords')).toEqual(['Google Ads']);
    expect(found(catalog, 'ga4')).toEqual(['Google Analytics 4 (GA4)']);
    expect(found(catalog, 'google analytics')).toEqual(['Google Analytics 4 (GA4)']);
    expect(found(catalog, 'sfdc')).toEqual(['Salesforce']);
    expect(found(catalog, 'postgresql')).toEqual(['Postgres']);
    expect(found(catalog, 'mssql')).toEqual(['Microsoft SQL Server (MSSQL)']);
    expect(found(catalog, 'sql server')).toEqual(['Microsoft SQL Server (MSSQL)']);
    expect(found(catalog, 'gsheets')).toEqual(['Google Sheets']);
  });

  it('knows a connector by any of its names, whatever the template calls it', () => {
    // A template named by an alias belongs to the connector too.
    expect(matchesQuery(t('SQL Server'), 'microsoft')).toBe(true);
    expect(matchesQuery(t('AdWords'), 'google ads')).toBe(true);
    // Whole words of the display name: "Postgres (EU replica)" is Postgres, "Postgresify" is not.
    expect(matchesQuery(t('Postgres (EU replica)'), 'postgresql')).toBe(true);
    expect(matchesQuery(t('Postgresify'), 'psql')).toBe(false);
  });

  it('matches every word of the query, in any order, ignoring case and accents', () => {
    expect(matchesQuery(t('Crédit Agricole'), 'AGRICOLE credit')).toBe(true);
    expect(matchesQuery(t('Stripe'), 'STRÎPE')).toBe(true);
    expect(matchesQuery(t('Facebook Marketing'), 'facebook pages')).toBe(false);
    expect(matchesQuery(t('Google Ads'), 'google analytics')).toBe(false);
    // Inside words too, as people type: "hub" finds HubSpot.
    expect(matchesQuery(t('HubSpot'), 'hub')).toBe(true);
    expect(matchesQuery(t('Stripe'), '   ')).toBe(true);
  });

  it('matches the category, with its other words', () => {
    expect(matchesQuery(t('Acme ERP', 'database'), 'database')).toBe(true);
    expect(matchesQuery(t('Acme ERP', 'database'), 'db')).toBe(true);
    expect(matchesQuery(t('Acme ERP', 'Marketing'), 'marketing acme')).toBe(true);
    expect(matchesQuery(t('Acme ERP'), 'database')).toBe(false);
    expect(searchTerms(t('Stripe'))).toEqual(['Stripe']);
  });

  it.skipIf(!corpus)(`names only connectors that exist in Airbyte's registry (${corpus ? INDEX : 'skipped: ../shared/connector-specs/index.json is missing'})`, () => {
    const folded = (s: string) => s.toLowerCase();
    for (const { name, aliases } of CONNECTOR_ALIASES) {
      // The entry's name is a real display name, or whole words of one.
      const real = displayNames.filter((d) => searchTerms(t(d)).includes(name));
      expect(real, `"${name}" is no connector's display name`).not.toHaveLength(0);
      for (const alias of aliases) expect(real.some((d) => matchesQuery(t(d), alias)), `alias "${alias}" does not find ${name}`).toBe(true);
      expect(real.some((d) => folded(d).includes(folded(name)))).toBe(true);
    }
    // The examples of the issue, against the registry's own names.
    const registry = (query: string) => found(displayNames, query);
    expect(registry('facebook ads')).toContain('Facebook Marketing');
    expect(registry('facebook ads')).not.toContain('Facebook Pages');
    expect(registry('adwords')).toEqual(['Google Ads']);
    expect(registry('ga4')).toContain('Google Analytics 4 (GA4)');
    expect(registry('google analytics')).toContain('Google Analytics 4 (GA4)');
    expect(registry('sfdc')).toEqual(['Salesforce']);
    expect(registry('postgresql')).toContain('Postgres');
    expect(registry('mssql')).toContain('Microsoft SQL Server (MSSQL)');
    expect(registry('sql server')).toContain('Microsoft SQL Server (MSSQL)');
    expect(registry('gsheets')).toEqual(['Google Sheets']);
  });
});

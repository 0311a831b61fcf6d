/**
 * Catalog search without a framework: what a customer types ("facebook ads", "sfdc", "postgresql")
 * against a connector's display name, its category and the names people commonly use for it.
 * Pure functions, shared by the widget and anything else that lists templates.
 */

/** What the search reads of a template. */
export interface Searchable {
  name: string;
  category?: string | undefined;
}

/**
 * Other names of well-known connectors, keyed by the connector's display name in Airbyte's registry
 * (a template belongs to an entry when its name contains the entry's name as whole words, or is one
 * of its aliases). Aliases are what people search for: old product names ("adwords"), abbreviations
 * ("sfdc", "mssql"), the vendor's marketing name ("facebook ads"). Trap: keep each entry's `name`
 * a real display name (test/shared/catalogSearch.test.ts checks them against the registry corpus),
 * and keep aliases specific: a one-letter alias would match half the catalog.
 */
export const CONNECTOR_ALIASES: ReadonlyArray<{ readonly name: string; readonly aliases: readonly string[] }> = [
  { name: 'Facebook Marketing', aliases: ['facebook ads', 'fb ads', 'meta ads', 'meta marketing', 'instagram ads'] },
  { name: 'Google Ads', aliases: ['adwords', 'google adwords'] },
  { name: 'Google Analytics', aliases: ['ga4', 'analytics 4'] },
  { name: 'Google Sheets', aliases: ['gsheets', 'google spreadsheets', 'spreadsheet'] },
  { name: 'Google Search Console', aliases: ['gsc', 'webmaster tools'] },
  { name: 'Google Drive', aliases: ['gdrive'] },
  { name: 'Google Calendar', aliases: ['gcal'] },
  { name: 'Google Cloud Storage', aliases: ['gcs'] },
  { name: 'Google Directory', aliases: ['google workspace', 'g suite', 'gsuite'] },
  { name: 'BigQuery', aliases: ['bq', 'google bigquery'] },
  { name: 'Salesforce', aliases: ['sfdc', 'sales cloud', 'crm'] },
  { name: 'Pardot', aliases: ['salesforce pardot', 'account engagement'] },
  { name: 'HubSpot', aliases: ['hubspot crm', 'crm'] },
  { name: 'ZohoCRM', aliases: ['zoho crm', 'crm'] },
  { name: 'Pipedrive', aliases: ['crm'] },
  { name: 'Postgres', aliases: ['postgresql', 'psql', 'pgsql'] },
  { name: 'MySQL', aliases: ['my sql'] },
  { name: 'Microsoft SQL Server', aliases: ['mssql', 'sql server', 'azure sql'] },
  { name: 'MongoDb', aliases: ['mongo', 'mongodb atlas'] },
  { name: 'Oracle DB', aliases: ['oracle database'] },
  { name: 'Redshift', aliases: ['amazon redshift', 'aws redshift'] },
  { name: 'S3', aliases: ['amazon s3', 'aws s3'] },
  { name: 'Amazon Ads', aliases: ['amazon advertising', 'sponsored products'] },
  { name: 'Amazon Seller Partner', aliases: ['seller central', 'selling partner', 'sp api'] },
  { name: 'Bing Ads', aliases: ['microsoft ads', 'microsoft advertising'] },
  { name: 'LinkedIn Ads', aliases: ['linkedin marketing', 'campaign manager'] },
  { name: 'TikTok Marketing', aliases: ['tiktok ads', 'tik tok'] },
  { name: 'Snapchat Marketing', aliases: ['snapchat ads', 'snap ads'] },
  { name: 'Microsoft Entra Id', aliases: ['azure ad', 'azure active directory'] },
  { name: 'Microsoft Teams', aliases: ['ms teams'] },
  { name: 'Jira', aliases: ['atlassian'] },
  { name: 'QuickBooks', aliases: ['qbo', 'intuit'] },
  { name: 'Netsuite', aliases: ['oracle netsuite'] },
  { name: 'Marketo', aliases: ['adobe marketo'] },
  { name: 'BambooHR', aliases: ['bamboo hr'] },
  { name: 'Paypal Transaction', aliases: ['paypal'] },
  { name: 'Sendgrid', aliases: ['twilio sendgrid'] },
  { name: 'File', aliases: ['csv', 'excel', 'xlsx', 'parquet'] },
];

/** Other words for the registry's source types (a template's `category`). */
const CATEGORY_ALIASES: Record<string, readonly string[]> = {
  database: ['db', 'databases'],
  file: ['files'],
  api: ['apis'],
};

/** Case- and accent-insensitive text ("HubSpot" → "hubspot", "Crédito" → "credito"). */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** The words of a text, folded, without punctuation ("Google Analytics 4 (GA4)" → google, analytics, 4, ga4). */
function words(text: string): string[] {
  return foldText(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Whether `needle`'s words appear in `hay`'s, together and in order. */
function containsWords(hay: string[], needle: string[]): boolean {
  if (!needle.length) return false;
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((w, j) => hay[i + j] === w)) return true;
  return false;
}

const ENTRIES = CONNECTOR_ALIASES.map((e) => ({ name: words(e.name), aliases: e.aliases.map(words) }));

/**
 * Every text a template is found by: its name, its category, and (for a known connector) its
 * display name and aliases. Exported for tests and for hosts with their own search box.
 */
export function searchTerms(template: Searchable): string[] {
  const name = words(template.name);
  const terms = [template.name];
  for (let i = 0; i < ENTRIES.length; i++) {
    const entry = ENTRIES[i]!;
    const own = CONNECTOR_ALIASES[i]!;
    if (containsWords(name, entry.name) || entry.aliases.some((a) => a.join(' ') === name.join(' '))) terms.push(own.name, ...own.aliases);
  }
  if (template.category) {
    terms.push(template.category);
    terms.push(...(CATEGORY_ALIASES[foldText(template.category.trim())] ?? []));
  }
  return terms;
}

/**
 * Whether a template is shown for `query`: every word of the query (case and accents ignored) is
 * part of its name, category or another name of its connector. An empty query matches all.
 * Words match inside words ("hub" finds HubSpot), as people type them, not only whole words.
 */
export function matchesQuery(template: Searchable, query: string): boolean {
  const wanted = words(query);
  if (!wanted.length) return true;
  const hay = searchTerms(template).map(foldText).join(' | ');
  return wanted.every((w) => hay.includes(w));
}

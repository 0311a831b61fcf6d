/**
 * The person's path every browser host walks: open the page, pick the first template (Sample data
 * (Faker)), fill its form, Connect, and see the success view and the host's own `onSuccess` output.
 * Typed structurally (no imports), so it compiles in each host against that host's playwright-core.
 */
export interface LocatorLike {
  click(): Promise<void>;
  fill(value: string): Promise<void>;
  waitFor(options?: { timeout?: number }): Promise<void>;
  textContent(): Promise<string | null>;
}
export interface PageLike {
  goto(url: string): Promise<unknown>;
  getByRole(role: 'button', options: { name: string | RegExp; exact?: boolean }): LocatorLike;
  getByLabel(text: string | RegExp): LocatorLike;
  locator(selector: string): LocatorLike;
  getByTestId(id: string): LocatorLike;
}

/** Walks catalog → form → Connect → success; returns the source id the host's `onSuccess` saw. */
export async function connectSampleSource(page: PageLike, url: string): Promise<string> {
  await page.goto(url);
  await page.getByRole('button', { name: /Faker/ }).waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: /Faker/ }).click();
  await page.getByLabel(/Count/).fill('250');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.locator('.aek-success').waitFor({ timeout: 30_000 });
  const seen = page.getByTestId('host-connected');
  await seen.waitFor({ timeout: 10_000 });
  const text = (await seen.textContent()) ?? '';
  if (!/^Host saw source \S+$/.test(text)) throw new Error(`the host's onSuccess output is ${JSON.stringify(text)}, expected "Host saw source <id>"`);
  return text.slice('Host saw source '.length);
}

/** The page's side of the cross-origin test: one ProxyClient call, its error as the page sees it. */
import { ProxyClient } from '../../../src/client/proxyClient.ts';
import { EmbedError } from '../../../src/shared/errors.ts';

(window as unknown as { aekList: (baseUrl: string, token: string) => Promise<unknown> }).aekList = async (baseUrl, token) => {
  try {
    await new ProxyClient({ baseUrl, getSessionToken: () => token }).listTemplates();
    return { ok: true };
  } catch (error) {
    return error instanceof EmbedError ? { code: error.code, message: error.message } : { thrown: String(error) };
  }
};

// Web mode's access token (issue 11 finding 5): it arrives in the page's address
// (?token=…), and must not stay there or in the browser history. On load it moves
// to sessionStorage (this tab only, gone when the tab closes) and the address is
// replaced by one without it; a reload finds it in sessionStorage.
import { WEB_TOKEN_PARAM } from '../../../shared/wire';

export const TOKEN_STORAGE_KEY = 'polyvisor.webToken';

export interface TokenPlace {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

export function takeWebToken(place: TokenPlace): string {
  const url = new URL(place.location.href);
  const fromAddress = url.searchParams.get(WEB_TOKEN_PARAM);
  if (fromAddress === null) return place.storage.getItem(TOKEN_STORAGE_KEY) ?? '';
  place.storage.setItem(TOKEN_STORAGE_KEY, fromAddress);
  url.searchParams.delete(WEB_TOKEN_PARAM);
  place.history.replaceState(place.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  return fromAddress;
}

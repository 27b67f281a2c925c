// The navigation pane's state (issue 16): which view the tree shows, remembered across restarts.
import { create } from 'zustand';
import type { OwnLabels } from '../../../shared/labels';
import type { SavedSearchRef } from './groupings';
import { NO_OWN_LABELS } from './labels';

export const NAV_VIEWS = ['infrastructure', 'objects', 'tags', 'folders', 'saved'] as const;
export type NavView = (typeof NAV_VIEWS)[number];

const VIEW_KEY = 'polyvisor.navView';

function storage(): Storage | undefined {
  return typeof localStorage === 'undefined' ? undefined : localStorage;
}

function storedView(): NavView {
  const value = storage()?.getItem(VIEW_KEY);
  return (NAV_VIEWS as readonly string[]).includes(value ?? '') ? (value as NavView) : 'infrastructure';
}

export interface ViewState {
  view: NavView;
  /** the saved searches (the profile's), shown by the Saved searches view */
  savedSearches: readonly SavedSearchRef[];
  /** Polyvisor's own tags and folders (the profile's) */
  ownLabels: OwnLabels;
}

export const useViewStore = create<ViewState>(() => ({ view: storedView(), savedSearches: [], ownLabels: NO_OWN_LABELS }));

export const viewActions = {
  setView(view: NavView): void {
    storage()?.setItem(VIEW_KEY, view);
    useViewStore.setState({ view });
  },
  setSavedSearches(savedSearches: readonly SavedSearchRef[]): void {
    useViewStore.setState({ savedSearches });
  },
  setOwnLabels(ownLabels: OwnLabels): void {
    useViewStore.setState({ ownLabels });
  },
};

// The views' dialogs, opened through the store's dialog slot (kind 'views').
export type ViewsDialogState =
  | { kind: 'tags'; nodeIds: string[] }
  | { kind: 'folder'; nodeIds: string[] }
  | { kind: 'renameFolder'; path: string }
  | { kind: 'newFolder'; parent: string | null }
  | { kind: 'saveSearch'; query: string };

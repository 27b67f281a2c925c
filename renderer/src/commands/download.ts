// A file the user saves: the browser's download of text made here.

export function downloadFile(content: string, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // the browser has taken the blob once the click returned; free it a little later
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

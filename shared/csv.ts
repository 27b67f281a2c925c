// CSV as RFC 4180 writes it, for the overview grid's export and `polyvisor grid --csv`.

/** One field: quoted when it holds a comma, quote, line break or edge spaces; a leading =, +, @ or - (not a number) made inert for spreadsheets. */
export function csvField(text: string): string {
  const inert = /^[=+@\t\r]/.test(text) || /^-(?!\d)/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(inert) || inert !== inert.trim() ? `"${inert.replace(/"/g, '""')}"` : inert;
}

/** Lines of fields, each line ended CRLF. */
export function csvLines(rows: ReadonlyArray<readonly string[]>): string {
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

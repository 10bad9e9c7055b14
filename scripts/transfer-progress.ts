/** Progress lines for `backup` and `restore`, with the rate: a call with 0 documents starts the clock, later ones (every 10,000 documents, and the last) print a line; `seconds` is the time to the last. */
export function progressPrinter(verb: string): ((documents: number, total: number | undefined, collection: string) => void) & { seconds(): string } {
  let started = Date.now();
  let elapsed = 0;
  let last = -1;
  const print = (documents: number, total: number | undefined, collection: string): void => {
    if (documents === 0) started = Date.now();
    if (documents === last || documents === 0) return;
    last = documents;
    const seconds = (Date.now() - started) / 1000;
    elapsed = seconds;
    const rate = seconds > 0 ? Math.round(documents / seconds) : 0;
    const of = total ? ` of ${total}` : '';
    console.log(`  ${verb} ${documents}${of} documents${collection ? ` (${collection})` : ''}, ${rate}/s`);
  };
  return Object.assign(print, { seconds: () => elapsed.toFixed(1) });
}

/**
 * Only the newest of overlapping requests may land: the bundled set still loading when the user imports a folder must
 * not replace the import when it finishes later.
 */
export class LatestRequest {
  private newest = 0;

  /** Starts a request; the returned check says whether it is still the newest one. */
  begin(): () => boolean {
    const id = ++this.newest;
    return () => id === this.newest;
  }
}

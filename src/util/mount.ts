// The plain data type at the seam between storage (which makes mounts) and spec/runtime (which
// consume them). Type-only, so neither side imports the other.
export interface Mount {
  type: string;
  source: string;
  target: string;
  options: string[];
}

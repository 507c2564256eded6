// .proto files are inlined as text: esbuild's `.proto: 'text'` loader in the bundle, a module
// hook (test/helpers/proto-text-hooks.ts) under node --test.
declare module '*.proto' {
  const text: string;
  export default text;
}

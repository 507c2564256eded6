// .proto files are inlined as text: esbuild's `.proto: 'text'` loader in the bundle, a module
// hook (test/helpers/proto-text-hooks.ts) under node --test.
declare module '*.proto' {
  const text: string;
  export default text;
}

// `x.proto?descriptor`: the proto parsed at build time into protobufjs's JSON form (an INamespace),
// by scripts/bundle.mjs (bundle) and test/helpers/proto-text-hooks.ts (node --test).
declare module '*.proto?descriptor' {
  const descriptor: { nested?: Record<string, unknown> };
  export default descriptor;
}

// `x.proto?descriptor-json`: the same descriptor as JSON text, for code that parses it only when
// it is first needed (the CLI's h2-client.ts).
declare module '*.proto?descriptor-json' {
  const json: string;
  export default json;
}

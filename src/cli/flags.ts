// The commands' view of the shared flag parser (src/util/flags.ts) and value parsers
// (src/util/units.ts); both live in util/ because isulad parses its own flags with them too.

export * from '../util/flags.ts';
export { parseBool, parseDuration, parseInteger, parseSize } from '../util/units.ts';

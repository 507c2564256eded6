// Parser for the WWW-Authenticate challenge a registry sends with 401 (RFC 7235 auth-params):
//   Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"
//   Basic realm="registry"
// Pure. Unknown schemes are returned too, so the caller can say what it could not handle.

export interface Challenge {
  scheme: string; // lower-case: "basic", "bearer", ...
  params: Record<string, string>;
}

/** Parses one header value that may hold several challenges. */
export function parseWwwAuthenticate(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skipWs = () => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const token = () => {
    const start = i;
    while (i < n && /[A-Za-z0-9!#$%&'*+.^_`|~-]/.test(header[i] as string)) i++;
    return header.slice(start, i);
  };
  let current: Challenge | undefined;
  while (i < n) {
    skipWs();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const word = token();
    if (word === '') {
      i++; // junk: skip a character rather than loop forever
      continue;
    }
    skipWs();
    if (header[i] === '=') {
      i++;
      skipWs();
      let value: string;
      if (header[i] === '"') {
        i++;
        let v = '';
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          v += header[i];
          i++;
        }
        i++; // closing quote
        value = v;
      } else {
        value = token();
      }
      if (current) current.params[word.toLowerCase()] = value;
      continue;
    }
    current = { scheme: word.toLowerCase(), params: {} };
    out.push(current);
  }
  return out;
}

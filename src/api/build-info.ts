// Version facts shared by `isula version` (client block) and the daemon (server block). The
// build injects them with esbuild `define` (__ISULA_VERSION__, __ISULA_COMMIT__, __ISULA_BUILT__);
// dev runs from source fall back to the package version.

declare const __ISULA_VERSION__: string | undefined;
declare const __ISULA_COMMIT__: string | undefined;
declare const __ISULA_BUILT__: string | undefined;

export interface BuildInfo { version: string; gitCommit: string; built: string }

export function buildInfo(): BuildInfo {
  return {
    version: typeof __ISULA_VERSION__ === 'string' ? __ISULA_VERSION__ : '0.1.0',
    gitCommit: typeof __ISULA_COMMIT__ === 'string' ? __ISULA_COMMIT__ : 'unknown',
    built: typeof __ISULA_BUILT__ === 'string' ? __ISULA_BUILT__ : 'unknown',
  };
}

/** The OCI spec template iSulad reports in `isula version`. */
export const OCI_CONFIG = { version: '1.0.1', defaultFile: '/etc/default/isulad/config.json' } as const;

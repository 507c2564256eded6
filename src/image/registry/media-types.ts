// Media types the registry client understands, and the Accept list sent for every manifest
// request. The full list matters: distribution 2.8 answers 404 for an OCI manifest or index when
// the Accept header does not name it, and silently downgrades a Docker v2s2 manifest to schema1
// when no Accept is sent at all (research/runtime-lab.md §5).

export const MT = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  dockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  ociLayerNondistributable: 'application/vnd.oci.image.layer.nondistributable.v1.tar',
  ociLayerNondistributableGzip: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  ociLayerNondistributableZstd: 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
} as const;

/** Index types first so a multi-arch tag comes back as an index we can select from. */
export const MANIFEST_ACCEPT = [
  MT.ociIndex,
  MT.dockerList,
  MT.ociManifest,
  MT.dockerManifest,
  MT.dockerSchema1Signed,
  MT.dockerSchema1,
].join(', ');

export const LAYER_MEDIA_TYPES: ReadonlySet<string> = new Set([
  MT.dockerLayerGzip,
  MT.dockerForeignLayerGzip,
  MT.ociLayer,
  MT.ociLayerGzip,
  MT.ociLayerZstd,
  MT.ociLayerNondistributable,
  MT.ociLayerNondistributableGzip,
  MT.ociLayerNondistributableZstd,
]);

export const CONFIG_MEDIA_TYPES: ReadonlySet<string> = new Set([MT.dockerConfig, MT.ociConfig]);

export const isIndexType = (mt: string): boolean => mt === MT.ociIndex || mt === MT.dockerList;
export const isSchema1Type = (mt: string): boolean => mt === MT.dockerSchema1 || mt === MT.dockerSchema1Signed;

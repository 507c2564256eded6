// `isula inspect IMAGE`: iSulad's image JSON ({"image": {...}}, schema imagetool/image-status.json),
// built from the record. Pure.
import type { ImageRecord } from '../../image/types.ts';

export interface ImageInspect {
  image: {
    id: string;
    repo_tags: string[];
    repo_digests: string[];
    top_layer: string;
    size: number;
    created: string;
    loaded: string;
    uid?: { value: number };
    username?: string;
    Spec: {
      created?: string;
      author?: string;
      architecture: string;
      os: string;
      variant?: string;
      config: unknown;
      rootfs: unknown;
      history: unknown[];
    };
    Healthcheck?: unknown;
  };
}

export function imageInspectFrom(r: ImageRecord): ImageInspect {
  const c = r.config;
  const user = c.config?.User ?? '';
  const userPart = user.split(':')[0] ?? '';
  const uid = /^[0-9]+$/.test(userPart) ? { uid: { value: Number(userPart) } } : {};
  const username = userPart !== '' && !/^[0-9]+$/.test(userPart) ? { username: userPart } : {};
  return {
    image: {
      id: r.id,
      repo_tags: [...r.names],
      repo_digests: [...r.digests],
      top_layer: r.topLayer === null ? '' : r.topLayer.replace(/^sha256:/, ''),
      size: r.size,
      created: r.created,
      loaded: r.loaded,
      ...uid,
      ...username,
      Spec: {
        ...(c.created !== undefined ? { created: c.created } : {}),
        ...(c.author !== undefined ? { author: c.author } : {}),
        architecture: c.architecture,
        os: c.os,
        ...(c.variant !== undefined ? { variant: c.variant } : {}),
        config: c.config ?? {},
        rootfs: c.rootfs,
        history: c.history ?? [],
      },
      ...(c.config?.Healthcheck ? { Healthcheck: c.config.Healthcheck } : {}),
    },
  };
}

// runtime.v1.ImageService: ListImages, ImageStatus, PullImage, RemoveImage, ImageFsInfo.
// Translation only; the CRI rules (idempotent remove, USER → uid/username) live in
// src/services/pods/images.ts.
import type { ImageServiceHandlers } from '../generated/runtime/v1/ImageService.ts';
import type { Image } from '../generated/runtime/v1/Image.ts';
import type { CriImages, CriImageView } from '../../services/pods/images.ts';
import { unary } from '../handler.ts';

function imageOf(v: CriImageView): Image {
  return {
    id: v.id,
    repo_tags: v.repoTags,
    repo_digests: v.repoDigests,
    size: String(v.size),
    ...(v.uid !== undefined ? { uid: { value: String(v.uid) } } : {}),
    username: v.username,
    spec: { image: v.id, annotations: {} },
    pinned: v.pinned,
  };
}

export function criImageHandlers(images: CriImages): Partial<ImageServiceHandlers> {
  return {
    ListImages: unary('ListImages', async (req) => {
      const filter = req.filter?.image?.image ?? '';
      return { images: images.list(filter).map(imageOf) };
    }),
    ImageStatus: unary('ImageStatus', async (req) => {
      const v = images.status(req.image?.image ?? '');
      if (!v) return { info: {} };
      return { image: imageOf(v), info: req.verbose ? images.verboseInfo(v.id) : {} };
    }),
    PullImage: unary('PullImage', async (req, ctx) => {
      const a = req.auth;
      const auth = a ? { username: a.username, password: a.password, auth: a.auth, serverAddress: a.server_address, identityToken: a.identity_token, registryToken: a.registry_token } : undefined;
      const ref = await images.pull(req.image?.image ?? '', auth, ctx.signal);
      return { image_ref: ref };
    }),
    RemoveImage: unary('RemoveImage', async (req) => {
      await images.remove(req.image?.image ?? '');
      return {};
    }),
    ImageFsInfo: unary('ImageFsInfo', async () => {
      const fs = await images.fsInfo();
      const usage = {
        timestamp: String(fs.timestampNs),
        fs_id: { mountpoint: fs.mountpoint },
        used_bytes: { value: String(fs.usedBytes) },
        inodes_used: { value: String(fs.inodesUsed) },
      };
      return { image_filesystems: [usage], container_filesystems: [] };
    }),
  };
}

// The image half of `isula inspect`: the containers developer's inspect command calls this when
// no container matches. Returns iSulad's image JSON ({"image": {...}}), or undefined when no image
// matches either.
import type { CommandContext } from '../command.ts';
import { isNotFound } from '../../util/errors.ts';
import type { InspectImageResponse__Output } from '../../api/generated/images/InspectImageResponse.ts';
import { callUnary, connectImages } from './image-client.ts';

export async function inspectImage(ctx: CommandContext, name: string, timeoutMs: number): Promise<unknown> {
  const conn = await connectImages(ctx);
  try {
    const r = await callUnary<{ id: string; bformat: boolean; timeout: number }, InspectImageResponse__Output>(conn, conn.client.Inspect, {
      id: name,
      bformat: false,
      timeout: Math.ceil(timeoutMs / 1000),
    });
    return JSON.parse(r.ImageJSON) as unknown;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  } finally {
    conn.close();
  }
}

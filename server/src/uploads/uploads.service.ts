import { Inject, Injectable } from '@nestjs/common';
import type { Upload } from '@inbox/shared';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import { AccountsService, type Viewer } from '../accounts/accounts.service';
import { checkUploadMedia, MEDIA_LIMITS, WechatMediaRejectedError } from '../channels/wechat/wechat-api.client';
import { AppError } from '../common/app-error';
import { UUID } from '../common/uuid';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { uploadPath, uploadUrl } from './upload-files';
import { UploadsRepository, type UploadRow } from './uploads.repository';

/**
 * What the file's own bytes say it is (never its name): the image types WeChat takes in custom messages, by their
 * magic bytes, and a few common others by name so the refusal can say what the file is.
 */
const SIGNATURES: ReadonlyArray<{ bytes: number[]; at?: number; name: string; image?: { mime: string; ext: string } }> =
  [
    { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], name: 'PNG', image: { mime: 'image/png', ext: 'png' } },
    { bytes: [0xff, 0xd8, 0xff], name: 'JPEG', image: { mime: 'image/jpeg', ext: 'jpg' } },
    { bytes: [...Buffer.from('GIF87a')], name: 'GIF', image: { mime: 'image/gif', ext: 'gif' } },
    { bytes: [...Buffer.from('GIF89a')], name: 'GIF', image: { mime: 'image/gif', ext: 'gif' } },
    { bytes: [...Buffer.from('WEBP')], at: 8, name: 'WEBP' },
    { bytes: [...Buffer.from('ftypheic')], at: 4, name: 'HEIC' },
    { bytes: [...Buffer.from('ftypmif1')], at: 4, name: 'HEIF' },
    { bytes: [...Buffer.from('ftypavif')], at: 4, name: 'AVIF' },
    { bytes: [0x42, 0x4d], name: 'BMP' },
    { bytes: [0x49, 0x49, 0x2a, 0x00], name: 'TIFF' },
    { bytes: [0x4d, 0x4d, 0x00, 0x2a], name: 'TIFF' },
    { bytes: [...Buffer.from('%PDF-')], name: 'PDF' },
  ];

export function sniff(data: Buffer): { name: string; image?: { mime: string; ext: string } } | undefined {
  return SIGNATURES.find((s) => s.bytes.every((b, i) => data[(s.at ?? 0) + i] === b));
}

export interface IncomingFile {
  data: Buffer;
  /** The name the browser gave it; kept for display only. */
  fileName: string;
}

export function toUpload(r: UploadRow): Upload {
  return {
    id: r.id,
    accountId: r.account_id,
    kind: r.kind,
    fileName: r.file_name,
    contentType: r.content_type,
    size: r.size,
    url: uploadUrl(r.id),
    createdAt: r.created_at.toISOString(),
  };
}

/** A display name: the last path segment, without control characters, at most 200 characters. */
function displayName(name: string, ext: string): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200);
  return base || `image.${ext}`;
}

/**
 * Files agents reply with. An image is checked by its magic bytes against what WeChat takes for a custom message
 * (PNG, JPEG, GIF, at most 2 MB: MEDIA_LIMITS.image), stored in DATA_DIR/uploads/<account>/<id> and served only to
 * users who may see its account. WeChat's temporary media_id for it is obtained and cached by the delivery worker.
 */
@Injectable()
export class UploadsService {
  constructor(
    @Inject(UploadsRepository) private readonly repo: UploadsRepository,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores an image for a reply in the conversation's account. `read` takes the file off the request; it is only
   * called once the viewer is known to see the conversation (others get the same 404 as for a missing one).
   */
  async create(viewer: Viewer, conversationId: string, read: () => Promise<IncomingFile>): Promise<Upload> {
    const notFound = new AppError('conversations/not_found', 'No such conversation');
    const accountId = UUID.test(conversationId) ? await this.repo.accountOfConversation(conversationId) : undefined;
    if (!accountId) throw notFound;
    await this.accounts.assertCanSee(viewer, accountId).catch(() => {
      throw notFound;
    });
    const file = await read();
    const image = this.checkImage(file);
    const id = randomUUID();
    const path = uploadPath(this.config.dataDir, accountId, id);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.data, { flag: 'wx' });
    try {
      const row = await this.repo.insert({
        id,
        accountId,
        userId: viewer.id,
        kind: 'image',
        fileName: displayName(file.fileName, image.ext),
        contentType: image.mime,
        size: file.data.length,
      });
      return toUpload(row);
    } catch (err) {
      await unlink(path).catch(() => undefined);
      throw err;
    }
  }

  /** The stored file, for a viewer who may see the upload's account; otherwise a 404. */
  async open(viewer: Viewer, id: string): Promise<{ stream: ReadStream; contentType: string; size: number }> {
    const notFound = new AppError('uploads/not_found', 'No such upload');
    const row = UUID.test(id) ? await this.repo.find(id) : undefined;
    if (!row) throw notFound;
    await this.accounts.assertCanSee(viewer, row.account_id).catch(() => {
      throw notFound;
    });
    const path = uploadPath(this.config.dataDir, row.account_id, row.id);
    const size = await stat(path).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined) throw notFound;
    return { stream: createReadStream(path), contentType: row.content_type, size };
  }

  private checkImage(file: IncomingFile): { mime: string; ext: string } {
    if (file.data.length === 0) {
      throw new AppError('validation/failed', 'The file is empty', { file: ['the file is empty'] });
    }
    const detail = { type: 'image', size: file.data.length, contentType: '', filename: file.fileName };
    if (file.data.length > MEDIA_LIMITS.image.maxBytes) {
      throw new WechatMediaRejectedError(
        'wechat/media_too_large',
        `An image may be at most ${MEDIA_LIMITS.image.maxBytes / 1024 / 1024} MB`,
        { ...detail, limitBytes: MEDIA_LIMITS.image.maxBytes },
      );
    }
    const sniffed = sniff(file.data);
    const image = sniffed?.image;
    if (!image) {
      throw new WechatMediaRejectedError(
        'wechat/media_type',
        `WeChat takes PNG, JPEG or GIF images; this file is ${sniffed ? `a ${sniffed.name} file` : 'not one of them'}`,
        detail,
      );
    }
    // The same gate the WeChat client applies before uploading (type, size), on the file's real type.
    checkUploadMedia('image', file.data, `upload.${image.ext}`, image.mime);
    return image;
  }
}

import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkImage, InvalidImageError, type InvalidImageCode } from '../../functions/verification/images.ts';
import { syntheticPng } from '../helpers/png.ts';

const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 120, g: 90, b: 60 } } });
let jpeg100: Buffer;
let png100: Buffer;
let jpeg50: Buffer;
let png50: Buffer;
let rotated: Buffer;

beforeAll(async () => {
  [jpeg100, png100, jpeg50, png50, rotated] = await Promise.all([
    solid(100, 100).jpeg().toBuffer(),
    solid(100, 100).png().toBuffer(),
    solid(50, 50).jpeg().toBuffer(),
    solid(50, 50).png().toBuffer(),
    // Stored 160 wide and 90 high, shown rotated 90 degrees (orientation 6): 90 wide, 160 high.
    solid(160, 90).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
  ]);
});

function refusal(bytes: Uint8Array, limits?: Parameters<typeof checkImage>[1]): InvalidImageError {
  try {
    checkImage(bytes, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidImageError);
    return error as InvalidImageError;
  }
  throw new Error('the image was accepted');
}

const code = (bytes: Uint8Array, limits?: Parameters<typeof checkImage>[1]): InvalidImageCode => refusal(bytes, limits).code;

describe('checkImage', () => {
  it('accepts a JPEG and a PNG, with format and size from the header', () => {
    expect(checkImage(jpeg100)).toEqual({ format: 'jpeg', width: 100, height: 100, orientation: 1 });
    expect(checkImage(png100)).toEqual({ format: 'png', width: 100, height: 100, orientation: 1 });
    expect(checkImage(new Uint8Array(jpeg100))).toMatchObject({ format: 'jpeg' }); // a plain Uint8Array, not a Buffer
  });

  it('reports the size as shown: EXIF orientation 5-8 swaps width and height', () => {
    expect(checkImage(rotated)).toEqual({ format: 'jpeg', width: 90, height: 160, orientation: 6 });
  });

  it('refuses an empty image', () => {
    expect(code(new Uint8Array())).toBe('EMPTY');
  });

  it('refuses more than 5 MiB before looking inside, with a message a person can act on', () => {
    const big = Buffer.alloc(6 * 1024 * 1024);
    jpeg100.copy(big);
    const error = refusal(big);
    expect(error.code).toBe('TOO_LARGE');
    expect(error.message).toBe('The image is larger than 5 MB; take a smaller photo');
    expect(code(jpeg100, { maxBytes: 100 })).toBe('TOO_LARGE');
  });

  it('decides the format by magic bytes: GIF, WebP and garbage are refused', async () => {
    const gif = await solid(100, 100).gif().toBuffer();
    const webp = await solid(100, 100).webp().toBuffer();
    expect(refusal(gif).message).toBe('Only JPEG or PNG photos are accepted');
    expect(code(webp)).toBe('UNSUPPORTED_FORMAT');
    expect(code(Buffer.from('this is not an image at all, just some text'))).toBe('UNSUPPORTED_FORMAT');
    expect(code(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"/>'))).toBe('UNSUPPORTED_FORMAT');
  });

  it('refuses images under 80 pixels a side', () => {
    expect(refusal(jpeg50).message).toBe('The image is too small: at least 80 pixels on each side');
    expect(code(png50)).toBe('TOO_SMALL');
    expect(code(png100, { minSide: 101 })).toBe('TOO_SMALL');
  });

  it('refuses a decompression bomb by its header: 100000x100000 declared in a few bytes', () => {
    const bomb = syntheticPng(100_000, 100_000);
    expect(bomb.length).toBeLessThan(100);
    const error = refusal(bomb);
    expect(error.code).toBe('TOO_MANY_PIXELS');
    expect(error.message).toMatch(/too many pixels/);
    expect(code(png100, { maxPixels: 9_999 })).toBe('TOO_MANY_PIXELS');
  });

  it('refuses a PNG header whose CRC does not match (dimensions that cannot be trusted)', () => {
    const forged = syntheticPng(100, 100);
    forged.writeUInt32BE(200, 16); // width changed after the CRC was computed
    expect(code(forged)).toBe('CORRUPT');
  });

  it('refuses a truncated JPEG, whether cut before or after its header', () => {
    expect(code(jpeg100.subarray(0, 20))).toBe('CORRUPT');
    expect(code(jpeg100.subarray(0, jpeg100.length - 40))).toBe('CORRUPT');
    expect(code(Buffer.from([0xff, 0xd8, 0xff]))).toBe('CORRUPT');
  });

  it('refuses a truncated PNG', () => {
    expect(code(png100.subarray(0, 30))).toBe('CORRUPT');
    expect(code(png100.subarray(0, png100.length - 12))).toBe('CORRUPT');
  });

  it('accepts data appended after the end of the image, as phones write it', () => {
    expect(checkImage(Buffer.concat([jpeg100, Buffer.from('motion photo trailer')]))).toMatchObject({ format: 'jpeg' });
    expect(checkImage(Buffer.concat([png100, Buffer.from('trailer')]))).toMatchObject({ format: 'png' });
  });
});
